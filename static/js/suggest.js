// Suggestions as one types in the place and hub pickers (inputs with data-suggest and a datalist).
// Without JavaScript the same text box works: the server resolves the name or answers "did you mean".
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.replaceChildren();
            data.suggestions.forEach(function (label) {
              var option = document.createElement("option");
              option.value = label;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }

  function init() {
    document.querySelectorAll("input[data-suggest][list]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
