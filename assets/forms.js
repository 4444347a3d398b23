/* kojo forms: what the self-assessment's autosave and the survey answer form do in the page.
 * Served from /assets (the CSP allows no inline script); every page works without it:
 * the assessment saves with its plain form button, the survey form shows every question.
 *
 * Self-assessment (form[data-autosave], saved by htmx on change):
 *  - kojo answers a save with the item's status line only (saved, or why not with 400/409);
 *    the fields are never redrawn, so what is typed and the focus stay where they are.
 *  - a save that never gets that answer (no network, an error page, an expired sign-in, a
 *    field the browser refuses) says so in the item and in the page's alert region.
 *  - a page restored from the back/forward cache is reloaded, so an assessment completed in
 *    the meantime is not shown as editable.
 * Survey form (#survey-form):
 *  - questions asked only after a given answer ([data-show-if]) are shown and hidden as the
 *    answers change; hidden ones are disabled, so nothing they held is sent.
 *  - text answers count their characters against the limit.
 *  - the list of errors at the top takes the focus when the page comes back with errors; its
 *    links move the focus into the field they name.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- self-assessment autosave

  function autosaveForm(elt) {
    return elt && elt.closest ? elt.closest('form[data-autosave]') : null;
  }

  function sentence(name) {
    var box = document.getElementById('autosave');
    return (box && box.dataset[name]) || '';
  }

  function statusOf(form) {
    return form.querySelector('.item-status');
  }

  function itemOf(status) {
    return status.id.replace(/^status-/, '');
  }

  function announce(id, text, alert) {
    var live = document.getElementById(alert ? 'save-alert' : 'save-announce');
    var other = document.getElementById(alert ? 'save-announce' : 'save-alert');
    if (other) { other.textContent = ''; }
    if (live) { live.textContent = id + ': ' + text; }
  }

  // A failure kojo could not put into the item itself: written into its status line.
  function showFailure(form, text) {
    var status = statusOf(form);
    if (!status) { return; }
    var id = itemOf(status);
    var saved = status.querySelector('.saved');
    if (saved) {
      // Never "saved" beside "not saved": the line keeps only when it was last saved.
      var dot = saved.nextSibling;
      if (dot && dot.nodeType === 3) { dot.textContent = dot.textContent.replace(/^\s*·\s*/, ''); }
      saved.remove();
    }
    var box = status.querySelector('.error-msg');
    if (!box) {
      box = document.createElement('div');
      box.className = 'error-msg';
      box.id = 'error-' + id;
      status.insertBefore(box, status.firstChild);
    }
    box.textContent = '';
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    status.classList.add('has-error');
    status.dataset.message = 'failed';
    announce(id, text, true);
  }

  // Marks the field a refused save was about (aria-invalid, described by the message).
  function markInvalid(form) {
    form.querySelectorAll('[aria-invalid]').forEach(function (el) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    });
    var status = statusOf(form);
    var field = status && status.dataset.field;
    if (!field) { return; }
    var target = field === 'level'
      ? form.querySelector('fieldset.levels')
      : form.querySelector('[name="' + field + '"]');
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-describedby', 'error-' + itemOf(status));
    }
  }

  function redirectedToSignIn(xhr) {
    try {
      return !!xhr.responseURL && new URL(xhr.responseURL).pathname === '/login';
    } catch (e) {
      return false;
    }
  }

  document.addEventListener('htmx:beforeSwap', function (evt) {
    var form = autosaveForm(evt.detail.elt);
    if (!form) { return; }
    var xhr = evt.detail.xhr;
    if (redirectedToSignIn(xhr)) {
      evt.detail.shouldSwap = false;
      evt.detail.isError = false;
      showFailure(form, sentence('signedOut'));
      return;
    }
    // 400 (a field refused) and 409 (a conflict, a completed assessment) come with the item's
    // status line saying why: show it like a save.
    var isStatusLine = (xhr.responseText || '').indexOf('id="status-') !== -1;
    if ((xhr.status === 400 || xhr.status === 409) && isStatusLine) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  document.addEventListener('htmx:responseError', function (evt) {
    var form = autosaveForm(evt.detail.elt);
    if (!form) { return; }
    // 404: the draft this page shows is gone (discarded, or this page is older than it).
    var gone = evt.detail.xhr && evt.detail.xhr.status === 404;
    showFailure(form, sentence(gone ? 'gone' : 'server'));
  });

  function networkFailure(evt) {
    var form = autosaveForm(evt.detail.elt);
    if (form) { showFailure(form, sentence('network')); }
  }
  document.addEventListener('htmx:sendError', networkFailure);
  document.addEventListener('htmx:timeout', networkFailure);

  document.addEventListener('htmx:validation:halted', function (evt) {
    var form = autosaveForm(evt.detail.elt);
    if (!form) { return; }
    (evt.detail.errors || []).forEach(function (e) {
      if (e.elt) { e.elt.setAttribute('aria-invalid', 'true'); }
    });
    showFailure(form, sentence('invalid'));
  });

  document.addEventListener('htmx:afterSwap', function (evt) {
    var form = autosaveForm(evt.detail.elt);
    if (!form) { return; }
    markInvalid(form);
    // A redrawn status line took a focused button with it: keep the focus in the item.
    var active = document.activeElement;
    if (!active || active === document.body) {
      var status = statusOf(form);
      if (status) { status.focus(); }
    }
  });

  window.addEventListener('pageshow', function (evt) {
    if (evt.persisted && document.querySelector('[data-reload-on-restore]')) {
      window.location.reload();
    }
  });

  // ---------------------------------------------------------------- survey form

  function chosen(form, name) {
    var out = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if (el.disabled) { return; }
      if (el.type === 'radio' || el.type === 'checkbox') {
        if (el.checked) { out.push(el.value); }
      } else if (el.value) {
        out.push(el.value);
      }
    });
    return out;
  }

  // Shows the questions whose condition holds, in page order (a condition names an earlier
  // question, so one pass settles chains such as J3 → J5 → J6); returns the ones that appeared.
  function route(form) {
    var appeared = [];
    form.querySelectorAll('.question[data-show-if]').forEach(function (q) {
      var codes = (q.dataset.showCodes || '').split(' ');
      var on = chosen(form, q.dataset.showIf).some(function (v) {
        return codes.indexOf(v) !== -1;
      });
      if (on && q.hidden) { appeared.push(q.dataset.question); }
      q.hidden = !on;
      q.querySelectorAll('input, select, textarea').forEach(function (el) {
        el.disabled = !on;
      });
    });
    return appeared;
  }

  function count(el) {
    var out = document.getElementById(el.dataset.countIn);
    if (!out) { return; }
    var n = Array.from(el.value).length;
    var max = Number(el.dataset.max);
    out.textContent = (el.dataset.countTemplate || '{n} / {max}')
      .replace('{n}', n.toLocaleString()).replace('{max}', max.toLocaleString());
    out.classList.toggle('over', n > max);
  }

  function setUpSurvey() {
    var form = document.getElementById('survey-form');
    if (!form) { return; }
    form.classList.add('routed');
    route(form);
    form.addEventListener('change', function () {
      var appeared = route(form);
      var live = document.getElementById('form-announce');
      if (live && appeared.length) {
        live.textContent = (live.dataset.appeared || '{questions}').replace('{questions}', appeared.join(', '));
      }
    });
    form.querySelectorAll('[data-count-in]').forEach(function (el) {
      count(el);
      el.addEventListener('input', function () { count(el); });
    });
    var problems = document.getElementById('respond-problems');
    if (problems) {
      problems.focus();
      // A link in the list moves the focus into its field, not only the view.
      problems.addEventListener('click', function (evt) {
        var link = evt.target.closest('a[href^="#"]');
        var field = link && document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
        if (!field) { return; }
        evt.preventDefault();
        field.scrollIntoView({block: 'center'});
        field.focus();
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUpSurvey);
  } else {
    setUpSurvey();
  }
}());
