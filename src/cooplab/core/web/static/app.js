// Repeatable form rows: "add a name / a position" clones a <template>; the form works without it.
document.querySelectorAll("[data-add-row]").forEach(function (button) {
  var rows = document.getElementById(button.dataset.addRow);
  var template = document.getElementById(button.dataset.template);
  button.hidden = false;
  button.addEventListener("click", function () {
    var next = rows.children.length;
    rows.insertAdjacentHTML("beforeend", template.innerHTML
      .replace(/-999-/g, "-" + next + "-").replace(/ 1000(?=["<])/g, " " + (next + 1)));
    var field = rows.lastElementChild.querySelector("input, select");
    if (field) field.focus();
  });
});

// A secret shown once: "copy" puts it on the clipboard; without JS the field is selected for copying by hand.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.dataset.copy);
  var label = button.textContent;
  button.hidden = false;
  field.addEventListener("focus", function () { field.select(); });
  button.addEventListener("click", function () {
    field.select();
    var done = function () {
      button.textContent = button.dataset.copied;
      setTimeout(function () { button.textContent = label; }, 2500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});

// Forms that cannot be undone ask first.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});

// Slow actions (parsing a text, importing a file): the button says it is working and is not
// pressed twice. A button marked data-busy="Parsing…"; the form posts as it would without JS.
document.querySelectorAll("button[data-busy]").forEach(function (button) {
  var form = button.form;
  if (!form) return;
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    if (form.dataset.busy === "1") { event.preventDefault(); return; }
    form.dataset.busy = "1";
    button.setAttribute("aria-busy", "true");
    button.classList.add("is-busy");
    button.dataset.label = button.textContent;
    button.textContent = button.dataset.busy;
  });
});
// A page shown again from the back-forward cache is not busy any more.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-busy]").forEach(function (form) { delete form.dataset.busy; });
  document.querySelectorAll("button.is-busy").forEach(function (button) {
    button.classList.remove("is-busy");
    button.removeAttribute("aria-busy");
    button.textContent = button.dataset.label;
  });
});
