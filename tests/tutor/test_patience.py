"""Patience by level: the offline tutor's end of turn, Gemini's silence and sensitivity, OpenAI's eagerness."""

import dataclasses

import pytest
from google.genai import types

from tutor.patience import PATIENCE, eagerness, patience_for, silence_ms
from tutor.persona import build_setup
from tutor.providers.gemini.live_config import live_config
from tutor.providers.offline.config import OfflineConfig
from tutor.providers.offline.provider import OfflineConnection
from tutor.providers.openai.config import OpenAIConfig
from tutor.providers.openai.session import turn_detection

from .conftest import LEARNER, LESSON


def at(level: str, patience: str = ""):
    return dataclasses.replace(LESSON, level=level, patience=patience)


def test_a_beginner_gets_more_time_than_an_advanced_speaker():
    waits = [patience_for(level).end_silence_ms for level in ("A1", "A2", "B1", "B2", "C1", "C2")]
    assert waits == sorted(waits, reverse=True) and waits[0] >= 2 * waits[-1]


def test_a_lesson_may_override_its_level_and_an_unknown_patience_is_refused():
    assert patience_for("C2", "patient") is PATIENCE["patient"]
    with pytest.raises(ValueError, match="unknown patience 'sleepy'"):
        patience_for("A1", "sleepy")


def test_a_site_wide_setting_replaces_the_level_but_not_the_lessons_own_choice():
    assert silence_ms("A1", "", None) == PATIENCE["patient"].end_silence_ms
    assert silence_ms("A1", "", 700) == 700
    assert silence_ms("A1", "brisk", 700) == PATIENCE["brisk"].end_silence_ms
    assert eagerness("C1", "", None) == "high" and eagerness("C1", "", "auto") == "auto"


def test_gemini_s_own_detection_waits_longer_and_less_eagerly_for_a_beginner():
    def detection(level: str) -> types.AutomaticActivityDetection:
        setup = build_setup(lesson=at(level), learner=LEARNER, model="gemini-3.8-live", voice="Puck")
        return live_config(setup, app_turns=False).realtime_input_config.automatic_activity_detection

    beginner, advanced = detection("A1"), detection("C1")
    assert beginner.silence_duration_ms > advanced.silence_duration_ms
    assert beginner.end_of_speech_sensitivity == types.EndSensitivity.END_SENSITIVITY_LOW
    assert advanced.end_of_speech_sensitivity == types.EndSensitivity.END_SENSITIVITY_HIGH


def test_when_the_app_decides_the_turns_gemini_s_detection_is_off_and_openai_s_too():
    setup = build_setup(lesson=at("A1"), learner=LEARNER, model="gemini-3.8-live", voice="Puck")
    detection = live_config(setup).realtime_input_config.automatic_activity_detection
    assert detection.disabled is True and detection.silence_duration_ms is None
    assert turn_detection(OpenAIConfig(), at("A1")) is None


def test_openai_s_own_detection_is_eager_with_an_advanced_speaker_and_patient_with_a_beginner():
    semantic, server = OpenAIConfig(turn_detection="semantic_vad"), OpenAIConfig(turn_detection="server_vad")
    assert turn_detection(semantic, at("A1"))["eagerness"] == "low"
    assert turn_detection(semantic, at("C2"))["eagerness"] == "high"
    assert (
        turn_detection(server, at("A1"))["silence_duration_ms"]
        > turn_detection(server, at("C2"))["silence_duration_ms"]
    )


def test_the_offline_tutor_ends_a_turn_after_the_lessons_patience():
    def wait(lesson) -> int:
        setup = build_setup(lesson=lesson, learner=LEARNER, model="offline", voice="f2")
        return OfflineConnection(setup, OfflineConfig())._detector._end_frames * 20

    assert wait(at("A1")) == PATIENCE["patient"].end_silence_ms
    assert wait(at("A1", "brisk")) == PATIENCE["brisk"].end_silence_ms
