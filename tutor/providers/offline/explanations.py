"""The offline tutor's one-line explanations of a mistake and the rule it breaks, named, in the student's own
language (as the persona's instructions ask of a live model); English for a language without a table."""

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
    "ja": {
        "word_order": "同じ言葉で、順番が違います：「{expected}」。",
        "inflection": "ここは「{wrong}」ではなく「{right}」です。",
        "spelling": "「{wrong}」ではなく「{right}」と書きます。",
        "vocabulary": "ここで使う言葉は「{wrong}」ではなく「{right}」です。",
        "missing": "足りない言葉：{words}。",
        "extra": "不要な言葉：{words}。",
        "compare": "「{expected}」と比べてください。",
        "pronunciation": "「{word}」をもう一度、ゆっくりはっきり言ってください。よく聞こえませんでした。",
    },
}

# The rule a mistake breaks, named first (rules.py gives the kind and the words): {right} as it should be,
# {wrong} as the student had it, {lemma} the verb conjugated.
RULES: dict[str, dict[str, str]] = {
    "en": {
        "conjugation": "Conjugation of «{lemma}»: «{right}», not «{wrong}».",
        "agreement": "Agreement: «{right}», not «{wrong}».",
        "article": "Article: «{right}», not «{wrong}».",
        "grammar_word": "Grammar word: «{right}», not «{wrong}».",
        "particle": "Particle: «{right}», not «{wrong}».",
        "verb_ending": "Verb ending: «{right}», not «{wrong}».",
        "spelling": "Spelling: «{right}», not «{wrong}».",
        "word_choice": "Word choice: «{right}», not «{wrong}».",
        "missing_word": "Missing word: «{right}».",
        "extra_word": "Extra word: «{wrong}».",
        "word_order": "Word order: «{right}».",
    },
    "fr": {
        "conjugation": "Conjugaison de «{lemma}» : «{right}», pas «{wrong}».",
        "agreement": "Accord : «{right}», pas «{wrong}».",
        "article": "Déterminant : «{right}», pas «{wrong}».",
        "grammar_word": "Mot grammatical : «{right}», pas «{wrong}».",
        "particle": "Particule : «{right}», pas «{wrong}».",
        "verb_ending": "Terminaison du verbe : «{right}», pas «{wrong}».",
        "spelling": "Orthographe : «{right}», pas «{wrong}».",
        "word_choice": "Choix du mot : «{right}», pas «{wrong}».",
        "missing_word": "Mot manquant : «{right}».",
        "extra_word": "Mot en trop : «{wrong}».",
        "word_order": "Ordre des mots : «{right}».",
    },
    "es": {
        "conjugation": "Conjugación de «{lemma}»: «{right}», no «{wrong}».",
        "agreement": "Concordancia: «{right}», no «{wrong}».",
        "article": "Artículo: «{right}», no «{wrong}».",
        "grammar_word": "Palabra gramatical: «{right}», no «{wrong}».",
        "particle": "Partícula: «{right}», no «{wrong}».",
        "verb_ending": "Terminación verbal: «{right}», no «{wrong}».",
        "spelling": "Ortografía: «{right}», no «{wrong}».",
        "word_choice": "Elección de palabra: «{right}», no «{wrong}».",
        "missing_word": "Falta una palabra: «{right}».",
        "extra_word": "Palabra de más: «{wrong}».",
        "word_order": "Orden de las palabras: «{right}».",
    },
    "de": {
        "conjugation": "Konjugation von «{lemma}»: «{right}», nicht «{wrong}».",
        "agreement": "Kongruenz: «{right}», nicht «{wrong}».",
        "article": "Artikel: «{right}», nicht «{wrong}».",
        "grammar_word": "Funktionswort: «{right}», nicht «{wrong}».",
        "particle": "Partikel: «{right}», nicht «{wrong}».",
        "verb_ending": "Verbendung: «{right}», nicht «{wrong}».",
        "spelling": "Rechtschreibung: «{right}», nicht «{wrong}».",
        "word_choice": "Wortwahl: «{right}», nicht «{wrong}».",
        "missing_word": "Fehlendes Wort: «{right}».",
        "extra_word": "Überflüssiges Wort: «{wrong}».",
        "word_order": "Wortstellung: «{right}».",
    },
    "it": {
        "conjugation": "Coniugazione di «{lemma}»: «{right}», non «{wrong}».",
        "agreement": "Concordanza: «{right}», non «{wrong}».",
        "article": "Articolo: «{right}», non «{wrong}».",
        "grammar_word": "Parola grammaticale: «{right}», non «{wrong}».",
        "particle": "Particella: «{right}», non «{wrong}».",
        "verb_ending": "Desinenza verbale: «{right}», non «{wrong}».",
        "spelling": "Ortografia: «{right}», non «{wrong}».",
        "word_choice": "Scelta della parola: «{right}», non «{wrong}».",
        "missing_word": "Manca una parola: «{right}».",
        "extra_word": "Parola di troppo: «{wrong}».",
        "word_order": "Ordine delle parole: «{right}».",
    },
    "pt": {
        "conjugation": "Conjugação de «{lemma}»: «{right}», não «{wrong}».",
        "agreement": "Concordância: «{right}», não «{wrong}».",
        "article": "Artigo: «{right}», não «{wrong}».",
        "grammar_word": "Palavra gramatical: «{right}», não «{wrong}».",
        "particle": "Partícula: «{right}», não «{wrong}».",
        "verb_ending": "Terminação verbal: «{right}», não «{wrong}».",
        "spelling": "Ortografia: «{right}», não «{wrong}».",
        "word_choice": "Escolha da palavra: «{right}», não «{wrong}».",
        "missing_word": "Falta uma palavra: «{right}».",
        "extra_word": "Palavra a mais: «{wrong}».",
        "word_order": "Ordem das palavras: «{right}».",
    },
    "ja": {
        "conjugation": "「{lemma}」の活用：「{wrong}」ではなく「{right}」。",
        "agreement": "語形の一致：「{wrong}」ではなく「{right}」。",
        "article": "冠詞：「{wrong}」ではなく「{right}」。",
        "grammar_word": "機能語：「{wrong}」ではなく「{right}」。",
        "particle": "助詞：「{wrong}」ではなく「{right}」。",
        "verb_ending": "活用語尾：「{wrong}」ではなく「{right}」。",
        "spelling": "つづり：「{wrong}」ではなく「{right}」。",
        "word_choice": "言葉の選び方：「{wrong}」ではなく「{right}」。",
        "missing_word": "抜けている言葉：「{right}」。",
        "extra_word": "不要な言葉：「{wrong}」。",
        "word_order": "語順：「{right}」。",
    },
}


def _table(tables: dict[str, dict[str, str]], language: str) -> dict[str, str]:
    return tables.get(language.split("-")[0].lower(), tables["en"])


def explanation(kind: str, language: str, **words: str) -> str:
    return _table(EXPLANATIONS, language)[kind].format(**words)


def rule_line(kind: str, language: str, **words: str) -> str:
    """One rule, named, in `language`: `kind` is one of rules.KINDS."""
    return _table(RULES, language)[kind].format(**words)
