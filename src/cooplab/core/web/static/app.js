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
