/* GreenBridge: small behaviours on top of server-rendered pages and htmx.
   No inline script or style anywhere (a Content-Security-Policy is planned): everything is wired
   here from data- attributes, and every page works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var body = document.body;

    // CSRF: htmx sends the token with every request (read from <body data-csrf-token>).
    var token = body.dataset.csrfToken;
    if (token) body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));

    // Selects that submit their form when changed (the language switcher).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { submit(select.form); });
    });

    // Print buttons (personal agendas, check-in lists).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });

    // Filter panels start folded on narrow screens (they are open without JavaScript).
    if (window.matchMedia("(max-width: 60rem)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = false; });
    }
  });

  // On paper, folded parts (a notice's titles in other languages) are shown unfolded.
  var foldedForPrint = [];
  window.addEventListener("beforeprint", function () {
    foldedForPrint = Array.from(document.querySelectorAll("details:not([open]):not(.filters)"));
    foldedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    foldedForPrint.forEach(function (d) { d.open = false; });
    foldedForPrint = [];
  });

  function submit(form) {
    if (!form) return;
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  // Search forms: leave empty fields out of the URL that htmx requests and pushes to history.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.verb !== "get" || !elt.matches || !elt.matches("form[data-drop-empty]")) return;
    var data = event.detail.formData;
    var keep = [];
    data.forEach(function (value, key) { if (value !== "") keep.push([key, value]); });
    Array.from(new Set(Array.from(data.keys()))).forEach(function (key) { data.delete(key); });
    keep.forEach(function (pair) { data.append(pair[0], pair[1]); });
  });

  // After new results: tell screen-reader users how many were found, and update the number of
  // active filters shown on the (folded) filter panel.
  document.addEventListener("htmx:afterSwap", function () {
    var results = document.getElementById("results");
    if (!results) return;
    var status = document.getElementById("results-status");
    if (status) status.textContent = results.dataset.resultsStatus || "";
    var count = document.querySelector("[data-filter-count]");
    if (count && results.dataset.activeFilters !== undefined) {
      count.firstElementChild.textContent = results.dataset.activeFilters;
      count.hidden = results.dataset.activeFilters === "0";
    }
  });

  // ---- code pickers (CPV, NACE) ---------------------------------------------------------------
  // A click on an option adds the code: as a removable chip with a hidden input (search filters),
  // or as a ticked box of a list field (forms).

  function chipFor(code, label, name, removeText) {
    var li = document.createElement("li");
    li.className = "chip";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = code;
    var codeSpan = document.createElement("span");
    codeSpan.className = "chip__code";
    codeSpan.textContent = code;
    li.append(input, codeSpan);
    if (label) {
      var labelSpan = document.createElement("span");
      labelSpan.className = "chip__label";
      labelSpan.textContent = label;
      labelSpan.title = label;
      li.append(labelSpan);
    }
    var remove = document.createElement("a");
    remove.className = "chip__remove";
    remove.href = "#";
    remove.dataset.chipRemove = "";
    remove.setAttribute("aria-label", removeText + " " + code);
    remove.textContent = "×";
    li.append(remove);
    return li;
  }

  // List fields (core.forms.ChipsInput): a chosen item is a ticked box named after the field; unticking
  // it removes the item when the form is saved. Adding one that is there already ticks it again.
  function addToList(list, name, value, code, label) {
    var existing = Array.from(list.querySelectorAll("input[type=checkbox]")).find(function (i) {
      return i.name === name && i.value === value;
    });
    if (existing) {
      existing.checked = true;
    } else {
      var li = document.createElement("li");
      li.className = "chip";
      var wrap = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.checked = true;
      wrap.append(box);
      if (code) {
        var codeSpan = document.createElement("span");
        codeSpan.className = "chip__code";
        codeSpan.textContent = code;
        wrap.append(" ", codeSpan);
      }
      if (label) {
        var labelSpan = document.createElement("span");
        labelSpan.className = "chip__label";
        labelSpan.textContent = label;
        labelSpan.title = label;
        wrap.append(" ", labelSpan);
      }
      li.append(wrap);
      list.append(li);
    }
    list.dispatchEvent(new Event("change", { bubbles: true }));  // the watch editor's preview follows
  }

  // A name chosen in a list field's <select> becomes a ticked box; the select goes back to "Choose…" so
  // the item is not sent twice (without JavaScript the select itself sends it when the form is saved).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-list-add]") || !select.value) return;
    var list = document.getElementById(select.dataset.listAdd);
    if (!list) return;
    var option = select.options[select.selectedIndex];
    var showValues = select.hasAttribute("data-show-values");
    addToList(list, select.name, select.value, showValues ? select.value : "", option.textContent.trim());
    select.value = "";
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest(".picker__option[data-code]");
    if (option) {
      var picker = option.closest("[data-picker]");
      var target = picker && document.getElementById(picker.dataset.target);
      if (!target) return;
      var code = option.dataset.code;
      if (picker.dataset.mode === "chips") {
        var name = picker.dataset.name;
        var exists = Array.from(target.querySelectorAll("input[type=hidden]")).some(function (i) {
          return i.name === name && i.value === code;
        });
        if (!exists) {
          target.append(chipFor(code, option.dataset.label, name, picker.dataset.removeText || "Remove"));
          submit(target.closest("form"));
        }
      } else if (picker.dataset.mode === "list") {
        addToList(target, picker.dataset.name, code, code, option.dataset.label);
      }
      option.setAttribute("aria-pressed", "true");
      return;
    }
    var remover = event.target.closest("[data-chip-remove]");
    if (remover) {
      var form = remover.closest("form");
      var chip = remover.closest(".chip");
      if (!form || !chip) return;  // without a form around it the link itself does the job
      event.preventDefault();
      chip.remove();
      submit(form);
    }
  });

  // A picker's own search box must not start a search of the page's form, nor submit its
  // (empty) look-up form on Enter: Enter picks the first option instead. The words box of a search
  // already searches as one types: its "change" on leaving it would only repeat the same search.
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t.matches && t.matches(".picker__input, [data-search-input]")) event.stopPropagation();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches || !event.target.matches(".picker__input")) return;
    event.preventDefault();
    var picker = event.target.closest("[data-picker]");
    var first = picker && picker.querySelector(".picker__option:not([aria-pressed='true'])");
    if (first) first.click();
  });
})();
