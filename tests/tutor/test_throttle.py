from tutor.throttle import Admit, AudioPace, AudioThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_real_time_audio_always_passes():
    clock = Clock()
    throttle = AudioThrottle(clock=clock)
    for _ in range(3000):  # a minute of 20 ms frames
        clock.now += 0.02
        assert throttle.admit(20) is Admit.OK


def test_a_burst_after_a_stall_is_tolerated():
    clock = Clock()
    throttle = AudioThrottle(AudioPace(burst_seconds=2.0), clock=clock)
    clock.now = 1.0
    assert all(throttle.admit(20) is Admit.OK for _ in range(150))  # 3 s of audio after 1 s


def test_a_flood_is_dropped_then_closed():
    throttle = AudioThrottle(AudioPace(burst_seconds=1.0, close_after_seconds=2.0), clock=Clock())
    verdicts = [throttle.admit(100) for _ in range(40)]
    assert verdicts[:10] == [Admit.OK] * 10
    assert Admit.DROP in verdicts and verdicts[-1] is Admit.CLOSE
    assert throttle.dropped_ms > 2000
