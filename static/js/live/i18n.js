// Translated strings come from Django's JavaScript catalog (/jsi18n/, loaded before the modules).
// Without it the page still works, in English.

export function gettext(text) {
  return typeof window.gettext === "function" ? window.gettext(text) : text;
}

// "%(name)s is speaking" with {name: "Camille"}: the named placeholders of Django's catalog.
export function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
}
