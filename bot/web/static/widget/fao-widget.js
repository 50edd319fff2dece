/*
 * FAO Assistant chat widget. Embed with one tag (the widget's own files and socket.io-client
 * are loaded from the same server as this script, never from a CDN):
 *
 *   <script src="https://office.example/widget/fao-widget.js" async
 *           data-socket-url="https://office.example:5005"   Rasa server (socket.io channel)
 *           data-language="zh"                              zh | en; default: the page's <html lang>
 *           data-title="外事助手"></script>                  optional header title
 *
 * The conversation (session id, messages, language) is kept in localStorage, so a reload shows the
 * same conversation and socket.io's session_request resumes the same Rasa tracker. Every message
 * carries metadata {language} from the 中文/English switch. The UI lives in a shadow root so the
 * host page's CSS and the widget's cannot interfere.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.FAOWidget) {
    return;
  }
  var WIDGET_BASE = new URL(".", script.src).href; // .../widget/
  var SERVER_BASE = new URL("..", WIDGET_BASE).href; // the web app's root
  var NO_REPLY_MS = 20000;
  var MAX_MESSAGES = 200;
  var SOURCE_PREFIXES = ["来源：", "来源:", "Source:"];
  var LINK_PATTERN = new RegExp(
    "\\[([^\\]]+)\\]\\((https?://[^)\\s]+)\\)" + // [text](url)
      "|(https?://[^\\s<>()（）\"，。；、｜|]+)" + // http(s) URL
      "|((?:[a-z0-9-]+\\.)+(?:gov\\.cn|com\\.cn|org\\.cn|cn|com|org|net|int|cloud)(?:/[^\\s<>()（）\"，。；、｜|]*)?)",
    "gi"
  );

  /* Icons as inline SVG (Material Icons paths, Apache-2.0), so no emoji font is needed. */
  var ICONS = {
    up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
        "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23" +
        ".14-.47.14-.73v-2z",
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
  };

  function icon(name, upsideDown) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    if (upsideDown) {
      path.setAttribute("transform", "rotate(180 12 12)");
    }
    svg.appendChild(path);
    return svg;
  }

  function pageLanguage(value) {
    return /^en/i.test(value || "") ? "en" : "zh";
  }

  var config = {
    socketUrl: script.dataset.socketUrl || location.protocol + "//" + location.hostname + ":5005",
    socketPath: script.dataset.socketPath || "/socket.io",
    language: pageLanguage(script.dataset.language || document.documentElement.lang),
    title: script.dataset.title || "",
  };
  var storageKey = "fao-widget:" + config.socketUrl;

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function loadState() {
    try {
      var saved = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (saved && Array.isArray(saved.messages)) {
        return saved;
      }
    } catch (error) {
      /* a corrupt or blocked store starts a fresh conversation */
    }
    return { sessionId: null, language: config.language, messages: [], open: false };
  }

  var state = loadState();
  var strings = null;
  var socket = null;
  var confirmed = false;
  var outbox = [];
  var noReplyTimer = null;
  var ui = {};

  function saveState() {
    state.messages = state.messages.slice(-MAX_MESSAGES);
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      /* private mode: the conversation just won't survive a reload */
    }
  }

  function s(key) {
    var entry = strings[key] || {};
    return entry[state.language] || entry.zh || key;
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
      node.appendChild(child);
    });
    return node;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  /* Text → DOM nodes with links; never innerHTML, so bot text cannot inject markup. */
  function linkify(line, parent) {
    var last = 0;
    line.replace(LINK_PATTERN, function (match, label, markdownUrl, url, bare, offset) {
      var href = markdownUrl || url || "https://" + bare;
      var shown = label || match;
      var trailing = "";
      if (!label) {
        var cut = shown.match(/[.,;:!?）)]+$/);
        if (cut) {
          trailing = cut[0];
          shown = shown.slice(0, -trailing.length);
          href = href.slice(0, href.length - trailing.length);
        }
      }
      parent.appendChild(document.createTextNode(line.slice(last, offset)));
      var link = el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: shown });
      link.appendChild(el("span", { className: "sr", text: " " + s("new_window") }));
      parent.appendChild(link);
      parent.appendChild(document.createTextNode(trailing));
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function textLanguage(text) {
    return /[\u4e00-\u9fff]/.test(text) ? "zh" : "en";
  }

  function renderText(text) {
    var bubble = el("div", { className: "bubble", lang: textLanguage(text) === "zh" ? "zh-CN" : "en" });
    text.split("\n").forEach(function (line, index) {
      var isSource = SOURCE_PREFIXES.some(function (prefix) {
        return line.trim().indexOf(prefix) === 0;
      });
      var row = el(isSource ? "p" : "span", { className: isSource ? "source" : "line" });
      linkify(line, row);
      if (index > 0 && !isSource) {
        bubble.appendChild(el("br"));
      }
      bubble.appendChild(row);
    });
    return bubble;
  }

  function choiceButtons(choices, className) {
    var group = el("div", { className: className, role: "group", "aria-label": s("suggestions") });
    choices.forEach(function (choice) {
      var button = el("button", { type: "button", text: choice.title });
      button.addEventListener("click", function () {
        send(choice.payload, choice.title);
        ui.input.focus();
      });
      group.appendChild(button);
    });
    return group;
  }

  function feedbackButtons(message) {
    var group = el("div", { className: "feedback", role: "group", "aria-label": s("helpful") + " / " + s("unhelpful") });
    [["up", "helpful"], ["down", "unhelpful"]].forEach(function (spec) {
      var button = el("button", {
        type: "button",
        className: "vote",
        "data-rating": spec[0],
        "aria-label": s(spec[1]),
        "aria-pressed": String(message.rating === spec[0]),
      }, [icon("up", spec[0] === "down")]);
      button.addEventListener("click", function () {
        vote(message, spec[0], group);
      });
      group.appendChild(button);
    });
    return group;
  }

  function renderMessage(message) {
    var node = el("div", { className: "msg " + message.from, "data-id": message.id });
    if (message.from === "notice") {
      node.appendChild(el("p", { className: "bubble", text: message.text }));
      return node;
    }
    var who = el("span", { className: "sr", text: (message.from === "user" ? s("you") : s("assistant")) + ": " });
    var bubble = renderText(message.text || "");
    bubble.insertBefore(who, bubble.firstChild);
    node.appendChild(bubble);
    if (message.image) {
      node.appendChild(el("img", { src: message.image, alt: "", className: "image" }));
    }
    if (message.from === "bot") {
      if (message.buttons && message.buttons.length) {
        node.appendChild(choiceButtons(message.buttons, "buttons"));
      }
      if (message.quick_replies && message.quick_replies.length) {
        node.appendChild(choiceButtons(message.quick_replies, "quick"));
      }
      if (message.text) {
        node.appendChild(feedbackButtons(message));
      }
    }
    return node;
  }

  /* Quick replies belong to the latest bot message only. */
  function dropOldQuickReplies() {
    Array.prototype.forEach.call(ui.log.querySelectorAll(".quick"), function (group) {
      group.remove();
    });
  }

  function append(message) {
    if (message.from !== "notice") {
      dropOldQuickReplies();
      state.messages.forEach(function (old) {
        delete old.quick_replies;
      });
    }
    state.messages.push(message);
    saveState();
    ui.log.appendChild(renderMessage(message));
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function renderLog() {
    ui.log.textContent = "";
    state.messages.forEach(function (message) {
      ui.log.appendChild(renderMessage(message));
    });
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function setTyping(on) {
    ui.typing.classList.toggle("on", on);
    ui.typingText.textContent = on ? s("typing") : "";
    clearTimeout(noReplyTimer);
    if (on) {
      noReplyTimer = setTimeout(function () {
        setTyping(false);
        append({ id: randomId(), from: "notice", text: s("no_reply") });
      }, NO_REPLY_MS);
    }
  }

  function announce(text) {
    ui.announce.textContent = "";
    setTimeout(function () {
      ui.announce.textContent = text;
    }, 50);
  }

  function emitNow(text) {
    socket.emit("user_uttered", {
      message: text,
      session_id: state.sessionId,
      metadata: { language: state.language },
    });
  }

  /* Sends `text`; shows `shown` (a button's title) or the text itself unless `silent`. */
  function send(text, shown, silent) {
    if (!silent) {
      append({ id: randomId(), from: "user", text: shown || text });
    }
    setTyping(true);
    if (confirmed) {
      emitNow(text);
    } else {
      outbox.push(text);
    }
  }

  function greetIfNew() {
    if (state.open && state.messages.length === 0 && confirmed) {
      send("/greet", "", true);
    }
  }

  function onBotMessage(data) {
    setTyping(false);
    var payload = (data && data.attachment && data.attachment.payload) || {};
    append({
      id: randomId(),
      from: "bot",
      text: data.text || "",
      buttons: data.buttons || [],
      quick_replies: data.quick_replies || [],
      image: data.attachment && data.attachment.type === "image" ? payload.src : undefined,
      language: state.language,
    });
  }

  function vote(message, rating, group) {
    message.rating = rating;
    saveState();
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-rating") === rating));
    });
    fetch(SERVER_BASE + "api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        conversation_id: state.sessionId,
        message_id: message.id,
        text: message.text,
        rating: rating,
        language: message.language || state.language,
      }),
    }).then(function (response) {
      if (response.ok) {
        announce(s("thanks"));
      }
    }, function () {
      /* the vote stays shown; the office just won't see it */
    });
  }

  function connect() {
    socket = window.io(config.socketUrl, {
      path: config.socketPath,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    socket.on("connect", function () {
      ui.root.classList.remove("offline");
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      state.sessionId = typeof sessionId === "string" ? sessionId : (sessionId || {}).session_id;
      saveState();
      confirmed = true;
      outbox.splice(0).forEach(emitNow);
      greetIfNew();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      confirmed = false;
    });
    socket.on("connect_error", function () {
      if (!ui.root.classList.contains("offline")) {
        ui.root.classList.add("offline");
        setTyping(false);
        append({ id: randomId(), from: "notice", text: s("offline") });
      }
    });
  }

  function applyStrings() {
    ui.title.textContent = config.title || s("title");
    ui.launcherText.textContent = s("open");
    ui.close.setAttribute("aria-label", s("close"));
    ui.panel.setAttribute("aria-label", s("dialog"));
    ui.log.setAttribute("aria-label", s("log"));
    ui.langGroup.setAttribute("aria-label", s("language"));
    ui.inputLabel.textContent = s("input");
    ui.input.placeholder = s("placeholder");
    ui.send.textContent = s("send");
    ui.restart.textContent = s("restart");
    Array.prototype.forEach.call(ui.langGroup.querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-language") === state.language));
    });
  }

  function setOpen(open) {
    state.open = open;
    saveState();
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    ui.launcher.hidden = open;
    if (open) {
      ui.log.scrollTop = ui.log.scrollHeight;
      ui.input.focus();
      greetIfNew();
    } else {
      ui.launcher.focus();
    }
  }

  function setLanguage(language) {
    if (language === state.language) {
      return;
    }
    state.language = language;
    saveState();
    applyStrings();
    append({ id: randomId(), from: "notice", text: s("switched") });
  }

  function startOver() {
    state.messages = [];
    state.sessionId = null;
    confirmed = false;
    saveState();
    renderLog();
    setTyping(false);
    socket.emit("session_request", { session_id: null });
    ui.input.focus();
  }

  function build() {
    var host = el("div", { id: "fao-widget" });
    document.body.appendChild(host);
    var shadow = host.attachShadow({ mode: "open" });
    shadow.appendChild(el("link", { rel: "stylesheet", href: WIDGET_BASE + "fao-widget.css" }));

    ui.launcherText = el("span");
    ui.launcher = el("button", { type: "button", className: "launcher", "aria-controls": "fao-panel",
                                 "aria-expanded": "false" },
                     [icon("chat"), ui.launcherText]);
    ui.title = el("h2", { id: "fao-title" });
    ui.langGroup = el("div", { className: "languages", role: "group" }, [
      el("button", { type: "button", "data-language": "zh", lang: "zh-CN", text: "中文" }),
      el("button", { type: "button", "data-language": "en", lang: "en", text: "English" }),
    ]);
    ui.restart = el("button", { type: "button", className: "restart" });
    ui.close = el("button", { type: "button", className: "close", text: "×" });
    ui.log = el("div", { className: "log", role: "log", "aria-live": "polite", tabindex: "0" });
    ui.typingText = el("span", { className: "sr" });
    ui.typing = el("div", { className: "typing", role: "status" },
                   [el("span", { className: "dots", "aria-hidden": "true" },
                       [el("span"), el("span"), el("span")]), ui.typingText]);
    ui.announce = el("div", { className: "sr", role: "status" });
    ui.inputLabel = el("label", { for: "fao-input", className: "sr" });
    ui.input = el("input", { id: "fao-input", type: "text", autocomplete: "off", maxlength: "500",
                             enterkeyhint: "send" });
    ui.send = el("button", { type: "submit", className: "send" });
    ui.form = el("form", { className: "composer" }, [ui.inputLabel, ui.input, ui.send]);
    ui.panel = el("section", { id: "fao-panel", className: "panel", role: "dialog", "aria-modal": "false",
                               "aria-labelledby": "fao-title" },
                  [el("header", {}, [ui.title, ui.langGroup, ui.restart, ui.close]),
                   ui.log, ui.typing, ui.announce, ui.form]);
    ui.panel.hidden = true;
    ui.root = el("div", { className: "root" }, [ui.launcher, ui.panel]);
    shadow.appendChild(ui.root);

    ui.launcher.addEventListener("click", function () {
      setOpen(true);
    });
    ui.close.addEventListener("click", function () {
      setOpen(false);
    });
    ui.restart.addEventListener("click", startOver);
    ui.langGroup.addEventListener("click", function (event) {
      var language = event.target.getAttribute && event.target.getAttribute("data-language");
      if (language) {
        setLanguage(language);
      }
    });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        setOpen(false);
      }
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (text) {
        ui.input.value = "";
        send(text);
      }
    });
  }

  function start(loadedStrings) {
    strings = loadedStrings;
    build();
    applyStrings();
    renderLog();
    connect();
    if (state.open) {
      setOpen(true);
    }
    window.FAOWidget = { open: function () { setOpen(true); }, startOver: startOver };
  }

  var needIo = typeof window.io === "function" ? Promise.resolve() : loadScript(WIDGET_BASE + "vendor/socket.io.min.js");
  Promise.all([fetch(WIDGET_BASE + "strings.json").then(function (r) { return r.json(); }), needIo])
    .then(function (results) {
      start(results[0]);
    })
    .catch(function (error) {
      console.error("FAO widget could not start", error);
    });
})();
