from tutor.context import ContextMeter, SummaryPolicy
from tutor.events import TokenUsage
from tutor.session.store import FinishedTurn

POLICY = SummaryPolicy(budget_tokens=10_000, trigger_share=0.6, every_turns=20, min_turns=4, recent_turns=6)


def test_the_meter_estimates_from_audio_and_text_until_the_provider_reports():
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    meter = ContextMeter(audio_in_tokens_per_second=32, audio_out_tokens_per_second=32, base_tokens=500)
    meter.observe_turn(FinishedTurn(0, "student", "x" * 40, now, now, audio_ms=2000))
    assert meter.tokens == 500 + 64 + 10
    meter.observe_usage(TokenUsage(text_in=900, audio_in=2000, audio_out=300))
    assert meter.tokens == 3200
    meter.restart(base_tokens=800)
    assert meter.tokens == 800


def test_every_n_turns_a_summary_reaches_all_but_the_recent_turns():
    assert POLICY.target(tokens=100, through_turn=30, covered=-1, new_turns=19) is None
    assert POLICY.target(tokens=100, through_turn=30, covered=-1, new_turns=20) == 24


def test_over_budget_summaries_come_sooner_but_not_for_a_handful_of_turns():
    assert POLICY.target(tokens=6_000, through_turn=12, covered=0, new_turns=6) == 6
    assert POLICY.target(tokens=9_000, through_turn=8, covered=0, new_turns=2) is None


def test_nothing_is_summarized_twice():
    assert POLICY.target(tokens=9_000, through_turn=30, covered=24, new_turns=50) is None


def test_a_summary_is_never_due_where_may_be_due_says_no():
    """may_be_due lets the store skip counting turns: where it says no, no count of new turns (at most one per
    turn number after `covered` up to the summary's reach) and no context size makes a summary due."""
    for covered in range(-1, 30):
        for through in range(covered, covered + 40):
            if POLICY.may_be_due(through_turn=through, covered=covered):
                continue
            most = max(0, through - POLICY.recent_turns - covered)
            for new_turns in range(most + 1):
                for tokens in (0, 1_000_000):
                    target = POLICY.target(tokens=tokens, through_turn=through, covered=covered, new_turns=new_turns)
                    assert target is None


def test_may_be_due_says_yes_once_enough_turns_are_past_the_recent_ones():
    first = POLICY.recent_turns + POLICY.min_turns - 1  # turns 0.. are new; the last `recent_turns` stay verbatim
    assert not POLICY.may_be_due(through_turn=first - 1, covered=-1)
    assert POLICY.may_be_due(through_turn=first, covered=-1)
    assert POLICY.target(tokens=1_000_000, through_turn=first, covered=-1, new_turns=POLICY.min_turns) is not None
