/* "Your own list": a file over the size limit is refused by the browser before it is sent (dcc.Upload's
   max_size), which Dash does not report; this names the limit where the page's status line is. The server
   enforces the same limit for anything that is sent. Text only, never HTML. */
(function () {
  function refused(file) {
    var note = document.getElementById("upload-refused");
    if (!note || !file) { return; }
    var limit = Number(note.getAttribute("data-max-bytes")) || 0;
    note.textContent = limit && file.size > limit
      ? (note.getAttribute("data-message") || "").replace("{filename}", file.name)
      : "";
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.type === "file" && input.closest && input.closest("#upload-input") && input.files) {
      refused(input.files[0]);
    }
  }, true);
  document.addEventListener("drop", function (event) {
    var zone = event.target && event.target.closest && event.target.closest("#upload-input");
    if (zone && event.dataTransfer && event.dataTransfer.files) { refused(event.dataTransfer.files[0]); }
  }, true);
})();

/* dcc.Upload renders its file input without a label: name it after the drop zone's own text, so screen
   readers and keyboard users (the input takes the focus) hear what it is for. */
(function () {
  function label() {
    var input = document.querySelector("#upload-input input[type=file]");
    var zone = document.querySelector("#upload-input .upload-drop");
    if (input && zone && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", zone.textContent.trim());
    }
  }
  new MutationObserver(label).observe(document.documentElement, {childList: true, subtree: true});
})();
