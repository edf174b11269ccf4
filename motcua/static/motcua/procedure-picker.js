/* The reception's procedure picker: a type-ahead combobox (WAI-ARIA "combobox with listbox
   popup") over the server's search (htmx GET to the picker endpoint), on top of the plain
   <select> that stays in the page: without JavaScript the select alone does the job, with it
   choosing an option sets the select and loads the procedure's agencies and checklist.

   Keys in the search box: Down/Up move through the options, Enter chooses (the only option when
   one matched), Escape closes the list (or clears the box), Tab leaves. */
(function () {
  "use strict";

  function init() {
    var picker = document.getElementById("procedure-picker");
    if (!picker || !window.htmx) return;
    var input = document.getElementById("procedure-search");
    var list = document.getElementById("procedure-options");
    var select = document.getElementById(picker.getAttribute("data-select"));
    var infoUrl = picker.getAttribute("data-info-url");
    var active = -1;
    picker.hidden = false;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }

    function setActive(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        var on = i === index;
        option.classList.toggle("active", on);
        option.setAttribute("aria-selected", on ? "true" : "false");
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options().length) {
        close();
        return;
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function choose(option) {
      var procedure = option.getAttribute("data-procedure");
      var agency = option.getAttribute("data-agency");
      select.value = procedure;
      input.value = option.getAttribute("data-label");
      // The status line is replaced by each search (out-of-band swap): look it up now.
      document.getElementById("procedure-status").textContent = "";
      close();
      var params = new URLSearchParams({ procedure: procedure });
      if (agency) params.set("agency", agency);
      window.htmx.ajax("GET", infoUrl + "?" + params.toString(), {
        target: "#procedure-info",
        swap: "innerHTML",
      });
    }

    function selectedLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }

    input.value = selectedLabel();

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== list) return;
      setActive(-1);
      if (document.activeElement === input) open();
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) open();
          if (all.length) setActive(Math.min(active + 1, all.length - 1));
          break;
        case "ArrowUp":
          event.preventDefault();
          if (list.hidden) open();
          if (all.length) setActive(active <= 0 ? 0 : active - 1);
          break;
        case "Enter":
          event.preventDefault(); // never submit the reception from the search box
          if (!list.hidden && active >= 0 && all[active]) choose(all[active]);
          else if (all.length === 1) choose(all[0]);
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", close);
    // Keep the focus in the box while the mouse picks an option.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
    select.addEventListener("change", function () {
      input.value = selectedLabel();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
