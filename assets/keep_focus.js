/* Kommunefram: keep the keyboard focus in the assumptions form across a re-render.
 *
 * An edited assumption goes into the URL and the page renders again from it; without this,
 * pressing Tab to the next field would leave the focus nowhere. The field that last had focus
 * (matched by its id) gets it back once it is in the new page.
 */
(function () {
    "use strict";
    var lastId = null;
    var lastAt = 0;

    document.addEventListener("focusin", function (e) {
        var el = e.target;
        if (el && el.id && el.closest && el.closest(".assumptions")) {
            lastId = el.id;
            lastAt = Date.now();
        } else if (el && el !== document.body) {
            lastId = null;  // the person moved on: leave the focus where they put it
        }
    }, true);

    new MutationObserver(function () {
        if (!lastId || Date.now() - lastAt > 8000) { return; }
        var active = document.activeElement;
        if (active && active !== document.body) { return; }
        var el = document.getElementById(lastId);
        if (el) { el.focus({preventScroll: true}); }
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
