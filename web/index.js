/* The demo page's own script (a file, not inline: the page's policy runs no inline script). */
(function () {
  "use strict";
  document.getElementById("origin").textContent = location.origin;
  var input = document.querySelector("#search input");
  if (input) input.focus();
})();
