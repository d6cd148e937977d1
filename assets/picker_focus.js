/* Kommunefram: typing goes to the dropdown's search field.
 *
 * Dash's searchable single-select dropdown focuses the *selected option* when it opens, so on
 * a kommune page (where the picker has a value) clicking it and typing "Bodø" did nothing.
 * When an option receives focus without the user navigating there by keyboard, move the focus
 * to the search field of the same popover. Arrow/Tab/Page/Home/End navigation is untouched.
 */
(function () {
    "use strict";
    var NAV_KEYS = ["ArrowDown", "ArrowUp", "Tab", "PageDown", "PageUp", "Home", "End"];
    var lastNavKey = 0;

    function searchFieldFor(el) {
        var node = el;
        while (node && node !== document.body) {
            var input = node.querySelector && node.querySelector("input.dash-dropdown-search");
            if (input) { return input; }
            node = node.parentElement;
        }
        return null;
    }

    function isOption(el) {
        return el && el.classList && el.classList.contains("dash-options-list-option-checkbox");
    }

    document.addEventListener("keydown", function (e) {
        if (NAV_KEYS.indexOf(e.key) >= 0) {
            lastNavKey = Date.now();
            return;
        }
        // A printable key while an option has focus: type it into the search field.
        if (isOption(document.activeElement) && e.key.length === 1 &&
                !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== " ") {
            var input = searchFieldFor(document.activeElement);
            if (input) { input.focus(); }
        }
    }, true);

    document.addEventListener("focusin", function (e) {
        if (!isOption(e.target) || Date.now() - lastNavKey < 400) { return; }
        var input = searchFieldFor(e.target);
        if (input && input.type === "search") { input.focus(); }
    }, true);
})();
