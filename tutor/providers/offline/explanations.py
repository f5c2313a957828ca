"""The offline tutor's one-line explanations of a mistake, in the student's own language (as the
persona's instructions ask of a live model); English for a language without a table."""

EXPLANATIONS: dict[str, dict[str, str]] = {
    "en": {
        "word_order": "Same words, different order: «{expected}».",
        "inflection": "«{wrong}» should be «{right}» here.",
        "spelling": "It is spelled «{right}», not «{wrong}».",
        "vocabulary": "The word here is «{right}», not «{wrong}».",
        "missing": "Missing: {words}.",
        "extra": "Not needed: {words}.",
        "compare": "Compare with «{expected}».",
        "pronunciation": "Say «{word}» again, slowly and clearly: I could not hear it well.",
    },
    "fr": {
        "word_order": "Les mêmes mots, dans un autre ordre : «{expected}».",
        "inflection": "Ici, on dit «{right}», pas «{wrong}».",
        "spelling": "Ça s'écrit «{right}», pas «{wrong}».",
        "vocabulary": "Le mot qui convient ici est «{right}», pas «{wrong}».",
        "missing": "Il manque : {words}.",
        "extra": "En trop : {words}.",
        "compare": "Comparez avec «{expected}».",
        "pronunciation": "Redites «{word}», lentement et distinctement : je l'ai mal entendu.",
    },
    "es": {
        "word_order": "Las mismas palabras, en otro orden: «{expected}».",
        "inflection": "Aquí se dice «{right}», no «{wrong}».",
        "spelling": "Se escribe «{right}», no «{wrong}».",
        "vocabulary": "La palabra aquí es «{right}», no «{wrong}».",
        "missing": "Falta: {words}.",
        "extra": "Sobra: {words}.",
        "compare": "Compara con «{expected}».",
        "pronunciation": "Repite «{word}», despacio y con claridad: no lo he oído bien.",
    },
    "de": {
        "word_order": "Dieselben Wörter, andere Reihenfolge: «{expected}».",
        "inflection": "Hier heißt es «{right}», nicht «{wrong}».",
        "spelling": "Man schreibt «{right}», nicht «{wrong}».",
        "vocabulary": "Das passende Wort ist «{right}», nicht «{wrong}».",
        "missing": "Es fehlt: {words}.",
        "extra": "Überflüssig: {words}.",
        "compare": "Vergleichen Sie mit «{expected}».",
        "pronunciation": "Sagen Sie «{word}» noch einmal, langsam und deutlich: ich habe es schlecht gehört.",
    },
    "it": {
        "word_order": "Le stesse parole, in un altro ordine: «{expected}».",
        "inflection": "Qui si dice «{right}», non «{wrong}».",
        "spelling": "Si scrive «{right}», non «{wrong}».",
        "vocabulary": "La parola giusta è «{right}», non «{wrong}».",
        "missing": "Manca: {words}.",
        "extra": "Di troppo: {words}.",
        "compare": "Confronta con «{expected}».",
        "pronunciation": "Ripeti «{word}», piano e chiaramente: non l'ho sentito bene.",
    },
    "pt": {
        "word_order": "As mesmas palavras, noutra ordem: «{expected}».",
        "inflection": "Aqui diz-se «{right}», não «{wrong}».",
        "spelling": "Escreve-se «{right}», não «{wrong}».",
        "vocabulary": "A palavra aqui é «{right}», não «{wrong}».",
        "missing": "Falta: {words}.",
        "extra": "A mais: {words}.",
        "compare": "Compare com «{expected}».",
        "pronunciation": "Repita «{word}», devagar e com clareza: não o ouvi bem.",
    },
}


def explanation(kind: str, language: str, **words: str) -> str:
    table = EXPLANATIONS.get(language.split("-")[0].lower(), EXPLANATIONS["en"])
    return table[kind].format(**words)
