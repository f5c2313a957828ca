"""What the offline tutor says besides the lesson's own lines, in the lesson's language."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    praise: tuple[str, ...]
    try_again: str  # followed by the question again
    say_it_right: str  # {corrected}
    you_can_say: str  # {answer}
    please_type: str
    not_understood: str  # followed by the question again
    cannot_see: str
    finished: str  # the closing line: the lesson then ends by itself, so it asks nothing of the student
    resume: str
    repeat: str  # {text}: a drill line when a lesson has no dialogue of its own


PHRASES: dict[str, Phrases] = {
    "fr": Phrases(
        praise=("Très bien !", "Parfait !", "Excellent !", "Bravo !"),
        try_again="Pas tout à fait. Essayez encore :",
        say_it_right="Presque ! On dit : {corrected}. À vous !",
        you_can_say="Vous pouvez dire : {answer}",
        please_type="Je n'ai pas bien compris. Pouvez-vous écrire votre réponse ?",
        not_understood="Pardon, je n'ai pas compris.",
        cannot_see="Désolé, je ne peux pas voir les images. Décrivez-la-moi avec des mots !",
        finished="Bravo, la leçon est terminée ! Merci, et à bientôt.",
        resume="Reprenons.",
        repeat="Répétez après moi : {text}",
    ),
    "es": Phrases(
        praise=("¡Muy bien!", "¡Perfecto!", "¡Excelente!", "¡Genial!"),
        try_again="No exactamente. Inténtalo otra vez:",
        say_it_right="¡Casi! Se dice: {corrected}. ¡Te toca!",
        you_can_say="Puedes decir: {answer}",
        please_type="No te he entendido bien. ¿Puedes escribir tu respuesta?",
        not_understood="Perdona, no te he entendido.",
        cannot_see="Lo siento, no puedo ver imágenes. ¡Descríbemela con palabras!",
        finished="¡Bravo, la lección ha terminado! Gracias, y hasta pronto.",
        resume="Sigamos.",
        repeat="Repite conmigo: {text}",
    ),
    "de": Phrases(
        praise=("Sehr gut!", "Perfekt!", "Ausgezeichnet!", "Prima!"),
        try_again="Nicht ganz. Versuchen Sie es noch einmal:",
        say_it_right="Fast! Man sagt: {corrected}. Jetzt Sie!",
        you_can_say="Sie können sagen: {answer}",
        please_type="Das habe ich nicht verstanden. Können Sie Ihre Antwort schreiben?",
        not_understood="Entschuldigung, das habe ich nicht verstanden.",
        cannot_see="Leider kann ich keine Bilder sehen. Beschreiben Sie es mir mit Worten!",
        finished="Bravo, die Lektion ist zu Ende! Danke und bis bald.",
        resume="Machen wir weiter.",
        repeat="Sprechen Sie mir nach: {text}",
    ),
    "it": Phrases(
        praise=("Molto bene!", "Perfetto!", "Ottimo!", "Bravo!"),
        try_again="Non proprio. Riprova:",
        say_it_right="Quasi! Si dice: {corrected}. Tocca a te!",
        you_can_say="Puoi dire: {answer}",
        please_type="Non ho capito bene. Puoi scrivere la tua risposta?",
        not_understood="Scusa, non ho capito.",
        cannot_see="Mi dispiace, non posso vedere le immagini. Descrivimela a parole!",
        finished="Bravo, la lezione è finita! Grazie, e a presto.",
        resume="Riprendiamo.",
        repeat="Ripeti dopo di me: {text}",
    ),
    "pt": Phrases(
        praise=("Muito bem!", "Perfeito!", "Excelente!", "Ótimo!"),
        try_again="Não exatamente. Tente outra vez:",
        say_it_right="Quase! Diz-se: {corrected}. A sua vez!",
        you_can_say="Pode dizer: {answer}",
        please_type="Não percebi bem. Pode escrever a sua resposta?",
        not_understood="Desculpe, não percebi.",
        cannot_see="Desculpe, não consigo ver imagens. Descreva-a com palavras!",
        finished="Parabéns, a lição terminou! Até breve.",
        resume="Continuemos.",
        repeat="Repita comigo: {text}",
    ),
    "ja": Phrases(
        praise=("よくできました！", "すばらしい！", "いいですね！", "かんぺきです！"),
        try_again="ちょっとちがいます。もういちど：",
        say_it_right="おしい！「{corrected}」といいます。どうぞ！",
        you_can_say="「{answer}」といえます。",
        please_type="よくわかりませんでした。こたえをかいてください。",
        not_understood="すみません、わかりませんでした。",
        cannot_see="すみません、しゃしんはみえません。ことばでせつめいしてください！",
        finished="おつかれさまでした！レッスンはおわりです。ありがとうございました。",
        resume="つづけましょう。",
        repeat="「{text}」とくりかえしてください。",
    ),
    "en": Phrases(
        praise=("Very good!", "Perfect!", "Excellent!", "Well done!"),
        try_again="Not quite. Try again:",
        say_it_right="Almost! We say: {corrected}. Your turn!",
        you_can_say="You can say: {answer}",
        please_type="I didn't quite catch that. Could you type your answer?",
        not_understood="Sorry, I didn't understand.",
        cannot_see="Sorry, I can't see pictures. Describe it to me in words!",
        finished="Well done, the lesson is over! Thank you, and see you soon.",
        resume="Let's carry on.",
        repeat="Repeat after me: {text}",
    ),
}


def phrases_for(language: str) -> tuple[Phrases, str]:
    """The phrases and the language to speak them in; English for a language without a table."""
    base = language.split("-")[0].lower()
    return (PHRASES[base], language) if base in PHRASES else (PHRASES["en"], "en")
