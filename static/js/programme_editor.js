/* The programme editor (admin): reorder a session's talks by dragging a row or with its
   "up"/"down" buttons, and list the authors of a newly chosen work as presenters to tick.
   Without this script the positions are plain numbers and the authors appear after saving. */
"use strict";
{
  const $ = window.django && window.django.jQuery;

  function talkRows(fieldset) {
    return Array.from(fieldset.querySelectorAll("tbody tr.form-row:not(.empty-form)"));
  }

  function hasWork(row) {
    const work = row.querySelector('select[name$="-paper"]');
    const unscheduled = row.querySelector('input[name$="-unschedule"]');
    return work && work.value && !(unscheduled && unscheduled.checked);
  }

  function renumber(fieldset) {
    let position = 0;
    for (const row of talkRows(fieldset)) {
      const input = row.querySelector('input[name$="-position"]');
      if (input && hasWork(row)) {
        position += 1;
        input.value = String(position);
      }
    }
  }

  function moveButton(label, text, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "talk-move";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.title = label;
    button.addEventListener("click", onClick);
    return button;
  }

  function addHandles(fieldset, row) {
    const cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".talk-handle")) {
      return;
    }
    const tools = document.createElement("span");
    tools.className = "talk-tools";
    const handle = document.createElement("span");
    handle.className = "talk-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.addEventListener("mousedown", () => { row.draggable = true; });
    row.addEventListener("dragstart", (event) => {
      row.classList.add("talk-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id || "talk");
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("talk-dragging");
      row.draggable = false;
      renumber(fieldset);
    });
    tools.append(
      handle,
      moveButton("Move up", "↑", () => {
        const previous = row.previousElementSibling;
        if (previous && previous.matches("tr.form-row:not(.empty-form)")) {
          previous.before(row);
          renumber(fieldset);
        }
      }),
      moveButton("Move down", "↓", () => {
        const next = row.nextElementSibling;
        if (next && next.matches("tr.form-row:not(.empty-form)")) {
          next.after(row);
          renumber(fieldset);
        }
      }),
    );
    cell.prepend(tools);
  }

  function enableDragging(fieldset) {
    const body = fieldset.querySelector("tbody");
    body.addEventListener("dragover", (event) => {
      const dragged = body.querySelector("tr.talk-dragging");
      const over = event.target.closest("tr.form-row:not(.empty-form)");
      if (!dragged || !over || over === dragged) {
        return;
      }
      event.preventDefault();
      const box = over.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        over.before(dragged);
      } else {
        over.after(dragged);
      }
    });
    body.addEventListener("drop", (event) => event.preventDefault());
    talkRows(fieldset).forEach((row) => addHandles(fieldset, row));
  }

  function showAuthors(choices, authors) {
    const name = choices.dataset.name;
    const ticked = new Set(
      Array.from(choices.querySelectorAll("input:checked")).map((input) => input.value),
    );
    choices.replaceChildren();
    if (!authors.length) {
      const help = document.createElement("p");
      help.className = "help";
      help.textContent = choices.dataset.empty;
      choices.append(help);
    }
    authors.forEach((author, index) => {
      const id = `${choices.id}_${index}`;
      const line = document.createElement("div");
      const label = document.createElement("label");
      label.htmlFor = id;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = String(author.person);
      box.id = id;
      box.checked = ticked.has(box.value);
      label.append(box, ` ${author.label}`);
      line.append(label);
      choices.append(line);
    });
  }

  function workChosen(select) {
    const row = select.closest("tr.form-row") || select.closest("form");
    const choices = row && row.querySelector(".presenter-choices");
    if (!choices) {
      return;
    }
    if (!select.value) {
      showAuthors(choices, []);
      return;
    }
    fetch(choices.dataset.authorsUrl.replace("{work}", encodeURIComponent(select.value)), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : { authors: [] }))
      .then((data) => showAuthors(choices, data.authors));
    const fieldset = select.closest("fieldset.programme-talks");
    const position = row.querySelector('input[name$="-position"]');
    if (fieldset && position && !position.value) {
      renumber(fieldset);
    }
  }

  function start() {
    document.querySelectorAll("fieldset.programme-talks").forEach(enableDragging);
    document.addEventListener("formset:added", (event) => {
      const fieldset = event.target.closest("fieldset.programme-talks");
      if (fieldset) {
        addHandles(fieldset, event.target);
      }
    });
    const onChange = (event) => {
      const target = event.target;
      if (target.matches('select[name$="-paper"], select[name="paper"]')) {
        workChosen(target);
      } else if (target.matches('input[name$="-unschedule"]')) {
        const fieldset = target.closest("fieldset.programme-talks");
        if (fieldset) {
          renumber(fieldset);
        }
      }
    };
    // The admin's autocomplete (Select2) and "+" pop-up announce a choice as a jQuery event.
    if ($) {
      $(document).on("change", onChange);
    } else {
      document.addEventListener("change", onChange);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
