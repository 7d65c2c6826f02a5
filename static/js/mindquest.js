// Progressive enhancement only: every page works without this file (and without htmx).
(function () {
  "use strict";

  // Answers picked but not yet submitted stay in this browser, by quiz, until the quiz is graded:
  // leaving a quiz and resuming it loses nothing, and the server writes nothing on every click.
  const DRAFT = "mindquest:quiz-draft:";

  function readDraft(quizId) {
    try {
      return JSON.parse(localStorage.getItem(DRAFT + quizId)) || {};
    } catch (error) {
      return {}; // storage blocked or the value spoilt: start afresh
    }
  }

  function saveDraft(form) {
    const draft = {};
    form.querySelectorAll("fieldset.question input:checked").forEach(function (input) {
      (draft[input.name] = draft[input.name] || []).push(input.value);
    });
    try {
      localStorage.setItem(DRAFT + form.dataset.quiz, JSON.stringify(draft));
    } catch (error) {
      // Storage blocked or full: the answers are only kept until the page is left, as before.
    }
  }

  function forgetDraft(quizId) {
    try {
      localStorage.removeItem(DRAFT + quizId);
    } catch (error) {
      // Nothing was stored.
    }
  }

  // Logging out leaves no answers behind in this browser, for the next person to use it.
  function forgetAllDrafts() {
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(DRAFT) === 0) localStorage.removeItem(key);
      });
    } catch (error) {
      // Nothing was stored.
    }
  }

  // A question the server shows answered (the form sent back with the unanswered warning) keeps
  // that answer, the latest one submitted; the draft fills in the others.
  function restoreDraft(form) {
    const draft = readDraft(form.dataset.quiz);
    form.querySelectorAll("fieldset.question").forEach(function (question) {
      const inputs = Array.from(question.querySelectorAll("input"));
      if (inputs.some(function (input) { return input.defaultChecked; })) return;
      inputs.forEach(function (input) {
        const picked = draft[input.name];
        if (picked) input.checked = picked.indexOf(input.value) >= 0;
      });
    });
    saveDraft(form);
  }

  // "N of M answered" and the progress bar count the ticked questions, whoever ticked them: the
  // learner, the draft, or the browser restoring the form on Back. A question the unanswered
  // warning marked loses its mark once answered.
  function showProgress(form) {
    const questions = form.querySelectorAll("fieldset.question");
    let answered = 0;
    questions.forEach(function (question) {
      const isAnswered = question.querySelector("input:checked") !== null;
      const note = question.querySelector("[data-unanswered-note]");
      if (note) note.hidden = isAnswered;
      if (isAnswered) answered += 1;
    });
    const bar = document.querySelector("[data-quiz-progress]");
    const label = document.querySelector("[data-quiz-progress-label]");
    if (bar) bar.value = answered;
    if (label) label.textContent = answered + " of " + questions.length + " answered";
    // The unanswered warning counts what is still left, and goes once nothing is.
    const left = questions.length - answered;
    const warning = document.getElementById("unanswered-warning");
    const count = warning && warning.querySelector("[data-unanswered-count]");
    if (count && left) count.textContent = left + (left === 1 ? " question" : " questions") + " unanswered.";
    if (warning) warning.hidden = left === 0;
    const anyway = form.querySelector("[data-submit-anyway]");
    if (anyway) anyway.textContent = left ? "Submit anyway" : "Submit answers";
  }

  function enhance(root) {
    const form = root.querySelector("form[data-quiz]");
    if (form) {
      restoreDraft(form);
      showProgress(form);
    }
    const graded = root.querySelector("[data-quiz-graded]");
    if (graded) forgetDraft(graded.dataset.quizGraded);
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest("form[data-quiz]");
    if (!form) return;
    saveDraft(form);
    showProgress(form);
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-forget-drafts]")) forgetAllDrafts();
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // Content swapped in by htmx (a boosted quiz submission, or its history restored) gets the same.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
  // A boosted submission swaps the page in place and its button with it, leaving the focus on
  // <body>: put it on the new page's main content, so screen readers announce it, unless the page
  // focused something itself (the unanswered warning's autofocus).
  document.addEventListener("htmx:afterSettle", function (event) {
    const main = document.getElementById("main");
    if (!event.detail.boosted || !main) return;
    const focused = document.activeElement;
    if (!focused || focused === document.body) main.focus({ preventScroll: true });
  });
  // Back to a page the browser kept or refilled: count again what is ticked now.
  window.addEventListener("pageshow", function () {
    const form = document.querySelector("form[data-quiz]");
    if (form) showProgress(form);
  });
})();
