"""The offline tutor's parts: eSpeak NG speech, voice activity detection, answer recognition and checking."""
