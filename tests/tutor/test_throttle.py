from tutor.throttle import Admit, AudioPace, AudioThrottle, IntervalThrottle, TypingPace, TypingThrottle


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
    for _ in range(500):  # 10 s at real time
        clock.now += 0.02
        assert throttle.admit(20) is Admit.OK
    clock.now += 1.0  # a network stall, then the second it held back arrives at once
    assert all(throttle.admit(20) is Admit.OK for _ in range(50))


def test_a_long_silence_banks_no_more_than_the_burst():
    clock = Clock()
    throttle = AudioThrottle(AudioPace(burst_seconds=2.0, close_after_seconds=5.0), clock=clock)
    clock.now = 20.0
    verdicts = [throttle.admit(10) for _ in range(3000)]  # 30 s of audio sent at once
    assert verdicts.count(Admit.OK) == 200  # 2 s, the burst
    assert verdicts[-1] is Admit.CLOSE


def test_a_flood_is_dropped_then_closed():
    throttle = AudioThrottle(AudioPace(burst_seconds=1.0, close_after_seconds=2.0), clock=Clock())
    verdicts = [throttle.admit(100) for _ in range(40)]
    assert verdicts[:10] == [Admit.OK] * 10
    assert Admit.DROP in verdicts and verdicts[-1] is Admit.CLOSE
    assert throttle.dropped_ms > 2000


def test_typed_messages_beyond_the_burst_wait_for_the_pace():
    clock = Clock()
    throttle = TypingThrottle(TypingPace(burst=5, per_minute=20), clock=clock)
    assert [throttle.admit() for _ in range(300)].count(True) == 5  # 300 in one burst: 5 get through
    clock.now += 3.0
    assert throttle.admit() and not throttle.admit()  # one more every 3 s
    clock.now += 3600
    assert [throttle.admit() for _ in range(10)].count(True) == 5  # an hour of quiet banks only the burst


def test_pictures_and_frames_are_spaced_by_the_interval_and_the_excess_refused():
    clock = Clock()
    throttle = IntervalThrottle(1.0, clock=clock)
    arrivals = [0.0, 0.4, 0.9, 1.0, 1.5, 2.2, 2.5, 3.9]  # a page sending too fast, with jitter
    admitted = []
    for at in arrivals:
        clock.now = at
        if throttle.admit():
            admitted.append(at)
    assert admitted == [0.0, 1.0, 2.2, 3.9]
