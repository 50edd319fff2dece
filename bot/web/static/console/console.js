/*
 * Operator console: answer search as the operator types (ranked by the assistant's NLU), copy
 * buttons, application lookup, and keyboard shortcuts:
 *   /              focus the search box
 *   Alt+L          focus the reference box
 *   Alt+1..3       copy answer 1..3 in Chinese; with Shift: in English
 *   Esc            clear the box that has focus
 *   F2             next caller: clear the search, the lookup and their results
 * Times are shown in Beijing time whatever the operator's computer is set to; sources are links;
 * the operator's own audit trail (GET /operator/api/audit) is shown and refreshed after each lookup.
 */
(function () {
  "use strict";

  var P = JSON.parse(document.getElementById("strings").textContent);
  var SEARCH_DELAY_MS = 200;
  var searchBox = document.getElementById("q");
  var searchStatus = document.getElementById("search-status");
  var resultList = document.getElementById("results");
  var referenceBox = document.getElementById("reference");
  var lookupResult = document.getElementById("lookup-result");
  var auditBody = document.querySelector("#audit-trail tbody");
  var auditStatus = document.getElementById("audit-status");
  var operator = document.getElementById("operator-data").getAttribute("data-operator");
  var AUDIT_ROWS = 10;
  var URL_PATTERN = /(https?:\/\/[^\s<>()（）"，。；、｜|]+)|((?:[a-z0-9-]+\.)+(?:cn|com|org|net|int|gov|hk|au|uk|cloud)(?:\/[^\s<>()（）"，。；、｜|]*)?)/gi;
  var timer = null;
  var latest = 0;
  var answers = [];

  function both(key) {
    return P[key].zh + " / " + P[key].en;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else if (name === "className") {
        node.className = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  /* An ISO time as Beijing time (UTC+8), whatever the time zone of the operator's computer. */
  function beijing(iso) {
    var moment = new Date(iso);
    if (!iso || isNaN(moment.getTime())) {
      return iso || "";
    }
    return moment.toLocaleString("zh-CN", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hour12: false,
    }) + " (" + P.beijing_time.zh + ")";
  }

  /* A source line with its addresses as links that open the cited page. */
  function sourceLine(text) {
    var line = el("p", { className: "source" });
    var last = 0;
    (text || "").replace(URL_PATTERN, function (match, url, bare, offset) {
      var trailing = (match.match(/[.,;:!?）)]+$/) || [""])[0];
      var shown = match.slice(0, match.length - trailing.length);
      line.appendChild(document.createTextNode(text.slice(last, offset)));
      line.appendChild(el("a", { href: url ? shown : "https://" + shown, target: "_blank", rel: "noopener noreferrer",
                                 text: shown }));
      line.appendChild(document.createTextNode(trailing));
      last = offset + match.length;
      return match;
    });
    line.appendChild(document.createTextNode((text || "").slice(last)));
    return line;
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.status === 401) {
        location.assign("/operator/login");
      }
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    });
  }

  function errorText(data) {
    return data.message_zh ? data.message_zh + " / " + data.message_en : both("no_results");
  }

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "✓ " + both("copied");
      searchStatus.textContent = both("copied");
      setTimeout(function () {
        button.textContent = label;
      }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {
        legacyCopy(text);
        done();
      });
    } else {
      legacyCopy(text);
      done();
    }
  }

  function legacyCopy(text) {
    var area = el("textarea", { className: "offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    searchBox.focus();
  }

  function column(answer, language, index) {
    var text = answer[language];
    var full = text.body + (text.source ? "\n" + text.source : "");
    var button = el("button", { type: "button", className: "copy", "data-copy": language + (index + 1),
                                text: both(language === "zh" ? "copy_zh" : "copy_en") });
    button.addEventListener("click", function () {
      copy(full, button);
    });
    return el("div", { className: "lang", lang: language === "zh" ? "zh-CN" : "en" }, [
      el("h3", { text: answer.title[language] }),
      el("p", { className: "body", text: text.body }),
      sourceLine(text.source),
      button,
    ]);
  }

  function showResults(data) {
    answers = data.results;
    resultList.textContent = "";
    if (!answers.length) {
      searchStatus.textContent = both("no_results");
      return;
    }
    answers.forEach(function (answer, index) {
      var percent = Math.round(answer.confidence * 100);
      var confidence = percent < 1 ? "<1%" : percent + "%";
      resultList.appendChild(el("li", { className: "answer", "data-key": answer.key }, [
        el("p", { className: "meta" }, [
          el("span", { className: "rank", text: "#" + (index + 1) }),
          el("code", { text: answer.key }),
          el("span", { className: "confidence", text: both("confidence") + " " + confidence }),
        ]),
        el("div", { className: "pair" }, [column(answer, "zh", index), column(answer, "en", index)]),
      ]));
    });
    searchStatus.textContent = both("results") + ": " + answers.length + " (" + data.elapsed_ms + " ms)";
  }

  function search() {
    var query = searchBox.value.trim();
    if (!query) {
      resultList.textContent = "";
      searchStatus.textContent = "";
      return;
    }
    var ticket = ++latest;
    postJson("/operator/api/search", { q: query }).then(function (reply) {
      if (ticket !== latest) {
        return; // an older answer arriving after a newer query
      }
      if (reply.ok) {
        showResults(reply.data);
      } else {
        resultList.textContent = "";
        searchStatus.textContent = errorText(reply.data);
      }
    });
  }

  function field(label, value, lang) {
    if (value === null || value === undefined || value === "") {
      return null;
    }
    return el("div", {}, [el("dt", { text: label }), el("dd", lang ? { lang: lang, text: value } : { text: value })]);
  }

  function showApplication(data) {
    var app = data.application;
    var history = el("ol", { className: "history" });
    (app.history || []).forEach(function (step) {
      history.appendChild(el("li", { text: beijing(step.at) + " — " + step.status_meaning_zh + " / " + step.status_meaning_en }));
    });
    lookupResult.textContent = "";
    lookupResult.appendChild(el("article", { className: "application", "data-reference": app.reference }, [
      el("h3", { text: app.reference + " · " + (P["kind_" + app.kind] ? both("kind_" + app.kind) : app.kind) }),
      el("dl", {}, [
        field(both("status"), app.status_meaning_zh + " / " + app.status_meaning_en + " (" + app.status + ")"),
        field(P.detail.zh, app.detail_zh, "zh-CN"),
        field(P.detail.en, app.detail_en, "en"),
        field(P.next_step.zh, app.next_step_zh, "zh-CN"),
        field(P.next_step.en, app.next_step_en, "en"),
        field(both("locked_until"), app.locked_until && beijing(app.locked_until)),
        field(both("updated"), app.updated_at && beijing(app.updated_at)),
      ].filter(Boolean)),
      history,
      el("p", { className: "audited", id: "audit-note",
                text: "✓ " + both("audited") + ": " + data.operator + ", " + beijing(new Date().toISOString()) }),
    ]));
  }

  function lookup() {
    var reference = referenceBox.value.trim();
    if (!reference) {
      return;
    }
    lookupResult.textContent = "…";
    postJson("/operator/api/lookup", { reference: reference }).then(function (reply) {
      loadAudit();
      if (reply.ok) {
        showApplication(reply.data);
      } else {
        lookupResult.textContent = "";
        lookupResult.appendChild(el("p", { className: "error", role: "alert", text: errorText(reply.data) }));
      }
    });
  }

  function loadAudit() {
    fetch("/operator/api/audit?limit=" + AUDIT_ROWS + "&operator=" + encodeURIComponent(operator),
          { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        auditBody.textContent = "";
        auditStatus.textContent = data.entries.length ? "" : both("nothing_yet");
        data.entries.forEach(function (entry) {
          var action = P["action_" + entry.action] ? both("action_" + entry.action) : entry.action;
          auditBody.appendChild(el("tr", {}, [
            el("td", { text: beijing(entry.at) }), el("td", { text: action }),
            el("td", {}, [el("code", { text: entry.subject })]), el("td", { text: entry.outcome }),
          ]));
        });
      })
      .catch(function () {
        auditStatus.textContent = both("audit_unavailable");
      });
  }

  /* One key between two callers: nothing of the previous caller's stays on screen. */
  function nextCaller() {
    clearTimeout(timer);
    latest += 1;
    searchBox.value = "";
    referenceBox.value = "";
    resultList.textContent = "";
    lookupResult.textContent = "";
    answers = [];
    searchStatus.textContent = both("cleared");
    searchBox.focus();
  }

  document.getElementById("next-caller").addEventListener("click", nextCaller);

  searchBox.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, SEARCH_DELAY_MS);
  });
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
    setTimeout(loadAudit, 500);
  });
  document.getElementById("lookup-form").addEventListener("submit", function (event) {
    event.preventDefault();
    lookup();
  });

  function typingInField(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    var digit = /^Digit([1-3])$/.exec(event.code);
    if (event.key === "F2") {
      event.preventDefault();
      nextCaller();
    } else if (event.key === "/" && !typingInField(event.target)) {
      event.preventDefault();
      searchBox.focus();
      searchBox.select();
    } else if (event.altKey && event.code === "KeyL") {
      event.preventDefault();
      referenceBox.focus();
      referenceBox.select();
    } else if (event.altKey && digit) {
      var button = document.querySelector('[data-copy="' + (event.shiftKey ? "en" : "zh") + digit[1] + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    } else if (event.key === "Escape" && typingInField(event.target)) {
      event.target.value = "";
    }
  });

  searchBox.focus();
  loadAudit();
})();
