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
