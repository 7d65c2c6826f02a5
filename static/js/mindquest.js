// Progressive enhancement only: every page works without this file (and without htmx).
(function () {
  "use strict";

  // On a quiz, keep "N of M answered" and the progress bar in step with the learner's choices.
  function trackQuizProgress(root) {
    const form = root.querySelector("form[data-quiz]");
    if (!form || form.dataset.tracked) return;
    form.dataset.tracked = "yes";
    const questions = form.querySelectorAll("fieldset.question");
    const bar = document.querySelector("[data-quiz-progress]");
    const label = document.querySelector("[data-quiz-progress-label]");
    function update() {
      let answered = 0;
      questions.forEach(function (question) {
        if (question.querySelector("input:checked")) answered += 1;
      });
      if (bar) bar.value = answered;
      if (label) label.textContent = answered + " of " + questions.length + " answered";
    }
    form.addEventListener("change", update);
    update();
  }

  function enhance(root) {
    trackQuizProgress(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // Content swapped in by htmx (a boosted quiz submission) gets the same treatment.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
