/* Presentation mode keys: arrows, space, PageUp/PageDown (what presentation clickers send) step the story;
   the buttons they press are the same ones a mouse clicks, so both paths share one callback. */
(function () {
  var NEXT = ["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar"];
  var PREVIOUS = ["ArrowLeft", "ArrowUp", "PageUp"];
  document.addEventListener("keydown", function (event) {
    if (!document.querySelector(".atlas.presenting")) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var id = NEXT.indexOf(event.key) >= 0 ? "atlas-story-next" : PREVIOUS.indexOf(event.key) >= 0 ? "atlas-story-previous" : "";
    if (!id) { return; }
    var button = document.getElementById(id);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
