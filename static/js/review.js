// The review page: Space (or Enter) shows the answer and plays it in the target language; 1-4 rate the card;
// R plays the sound again. The time from the cue to the rating goes with the rating (FSRS's review duration).

const card = document.getElementById("review-card");
const showAnswer = document.getElementById("show-answer");
const answer = document.getElementById("answer");
const audio = document.getElementById("card-audio");
const form = document.getElementById("rate");
const duration = document.getElementById("duration");
const shownAt = performance.now();

function play() {
  audio.currentTime = 0;
  audio.play().catch(() => {}); // a browser that refuses autoplay still has the Play button
}

function reveal() {
  if (!answer.hidden) return;
  answer.hidden = false;
  showAnswer.hidden = true;
  card.dataset.state = "answer";
  play();
  form.querySelector("button[value='3']").focus();
}

function rate(value) {
  const button = form.querySelector(`button[value='${value}']`);
  if (!button || answer.hidden) return;
  duration.value = String(Math.round(performance.now() - shownAt));
  form.requestSubmit(button);
}

form.addEventListener("submit", () => {
  duration.value = String(Math.round(performance.now() - shownAt));
});
showAnswer.addEventListener("click", reveal);
document.getElementById("play").addEventListener("click", play);
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
  if (event.key === " " || (event.key === "Enter" && answer.hidden)) {
    event.preventDefault();
    reveal();
  } else if (["1", "2", "3", "4"].includes(event.key)) {
    event.preventDefault();
    rate(event.key);
  } else if (event.key === "r" || event.key === "R") {
    play();
  }
});
