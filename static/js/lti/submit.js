// Deep linking's answer goes back to the learning platform at once; the button stays for a browser without scripts.
document.querySelector("form[data-auto-submit]")?.submit();
