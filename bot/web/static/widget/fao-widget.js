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
  var NO_REPLY_MS = 15000;
  var RECONNECTED_MS = 4000;
  var MAX_MESSAGES = 200;
  var PHONE_WIDTH = "(max-width: 480px)";
  var SOURCE_PREFIXES = ["来源：", "来源:", "Source:"];
  // Labels before a top-level domain, which may be two parts (gov.cn, com.au, com.hk): the whole
  // address is linked, not a shorter domain inside it.
  var TLDS = "cn|com|org|net|int|gov|edu|info|io|hk|mo|tw|au|uk|jp|kr|sg|us|ca|nz|eu|cloud";
  var STOP = "[^\\s<>()（）\"，。；、｜|]";
  // Hotlines (12308 consular, 12345 city, 12367 immigration, 110/119/120/122/999 emergencies), with or
  // without the +86-10- / 010- prefix, and Beijing numbers; not amounts or durations ("120天", "CNY 120").
  var PHONE = "(?<![\\w+\\-.])(?<!(?:CNY|RMB|¥|￥)\\s?)" +
    "((?:\\+86[-\\s]?|0)?(?:10[-\\s]?)?(?:12308|12345|12367|12301|110|119|120|122|999)|(?:\\+86[-\\s]?|0)10[-\\s]?\\d{8})" +
    "(?![\\w\\-]|\\.\\d)(?!\\s*(?:天|日|元|年|月|小时|分钟|个|次|%|days?\\b|hours?\\b|minutes?\\b|yuan\\b|years?\\b|months?\\b))";
  var LINK_PATTERN = new RegExp(
    "\\[([^\\]]+)\\]\\((https?://[^)\\s]+)\\)" + // 1, 2: [text](url)
      "|(https?://" + STOP + "+)" + // 3: http(s) URL
      "|(?<![@\\w.\\-/])((?:[a-z0-9-]+\\.)+(?:" + TLDS + ")(?![\\w\\-])(?:/" + STOP + "*)?)" + // 4: bare address
      "|" + PHONE, // 5: phone number
    "gi"
  );
  // One cited page: the publisher, its URL and an optional date in brackets after it.
  var SOURCE_ENTRY = new RegExp("([^]*?)\\s*(https?://" + STOP + "+)(\\s*[（(][^）)]{0,40}[）)])?", "g");
  var REFERENCE = /[A-Z]{2,5}-\d{4}-\d{6}/gi;
  // Bot prompts of the status lookup (never an answer, which has a source line): what the visitor types
  // next may be a code or passport digits.
  var STATUS_PROMPT = /申请编号|核实身份|核验码|最后4位|application reference|verify it's you|verification code|last 4/i;

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
    return { sessionId: null, language: config.language, messages: [], open: false, unread: 0 };
  }

  var state = loadState();
  var strings = null;
  var socket = null;
  var confirmed = false;
  var wasOffline = false;
  var outbox = [];
  var lastSent = null;
  var noReplyTimer = null;
  var reconnectedTimer = null;
  var replyStart = null;
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

  function htmlLang(language) {
    return language === "en" ? "en" : "zh-CN";
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

  function externalLink(href, shown, title) {
    var link = el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: shown });
    if (title) {
      link.setAttribute("title", title);
    }
    link.appendChild(el("span", { className: "sr", text: " " + s("new_window") }));
    return link;
  }

  function phoneLink(number) {
    var link = el("a", { href: "tel:" + number.replace(/[^\d+]/g, ""), className: "tel", text: number });
    link.setAttribute("aria-label", s("call") + " " + number);
    return link;
  }

  /* Text → DOM nodes with links; never innerHTML, so bot text cannot inject markup. */
  function linkify(line, parent) {
    var last = 0;
    line.replace(LINK_PATTERN, function (match, label, markdownUrl, url, bare, phone) {
      var offset = arguments[arguments.length - 2];
      parent.appendChild(document.createTextNode(line.slice(last, offset)));
      last = offset + match.length;
      if (phone) {
        parent.appendChild(phoneLink(phone));
        return match;
      }
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
      parent.appendChild(externalLink(href, shown));
      parent.appendChild(document.createTextNode(trailing));
      return match;
    });
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function sourcePrefix(line) {
    var trimmed = line.trim();
    return SOURCE_PREFIXES.filter(function (prefix) {
      return trimmed.indexOf(prefix) === 0;
    })[0];
  }

  function hostOf(url) {
    try {
      return new URL(url).hostname.replace(/^www\./, "");
    } catch (error) {
      return url;
    }
  }

  /* "来源：<publisher> <https-url>[；<publisher> <url>]" → the publisher as a link to the exact page. */
  function renderSource(line, prefix, parent) {
    var rest = line.trim().slice(prefix.length).trim();
    parent.appendChild(document.createTextNode(prefix + (prefix.slice(-1) === ":" ? " " : "")));
    var last = 0;
    var found = 0;
    rest.replace(SOURCE_ENTRY, function (match, publisher, url, dated, offset) {
      var trailing = (url.match(/[.,;:!?）)]+$/) || [""])[0];
      url = url.slice(0, url.length - trailing.length);
      var name = publisher.replace(/^[\s;；,，、|｜]+|[\s:：(（]+$/g, "");
      if (found) {
        parent.appendChild(document.createTextNode(state.language === "en" ? "; " : "；"));
      }
      found += 1;
      parent.appendChild(externalLink(url, name || hostOf(url), url));
      parent.appendChild(el("span", { className: "host", text: " " + hostOf(url) + (dated ? " " + dated.trim() : "") }));
      last = offset + match.length;
      return match;
    });
    if (!found) {
      linkify(rest, parent);
      return;
    }
    var tail = rest.slice(last).replace(/^[\s)）]+/, "").trim();
    if (tail) {
      parent.appendChild(document.createTextNode(" " + tail));
    }
  }

  function textLanguage(text) {
    return /[\u4e00-\u9fff]/.test(text) ? "zh" : "en";
  }

  function hasSource(text) {
    return (text || "").split("\n").some(function (line) {
      return Boolean(sourcePrefix(line));
    });
  }

  function renderText(text) {
    var bubble = el("div", { className: "bubble", lang: htmlLang(textLanguage(text)) });
    text.split("\n").forEach(function (line, index) {
      var prefix = sourcePrefix(line);
      var row = el(prefix ? "p" : "span", { className: prefix ? "source" : "line" });
      if (prefix) {
        renderSource(line, prefix, row);
      } else {
        linkify(line, row);
      }
      if (index > 0 && !prefix) {
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
    var thanks = el("span", { className: "thanks", text: message.rating ? s("thanks_visible") : "" });
    group.appendChild(thanks);
    return group;
  }

  function timeLabel(at) {
    var moment = new Date(at);
    var shown = moment.toLocaleTimeString(htmlLang(state.language), { hour: "2-digit", minute: "2-digit" });
    return el("time", { className: "at", datetime: moment.toISOString(), text: shown });
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
    if (message.at) {
      node.appendChild(timeLabel(message.at));
    }
    if (message.from === "bot") {
      if (message.buttons && message.buttons.length) {
        node.appendChild(choiceButtons(message.buttons, "buttons"));
      }
      if (message.quick_replies && message.quick_replies.length) {
        node.appendChild(choiceButtons(message.quick_replies, "quick"));
      }
      if (hasSource(message.text)) {
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

  /* A short reply scrolls to the bottom; a long one to its own start, so its first line is in view. */
  function scrollForReply(node) {
    if (!replyStart || !replyStart.isConnected) {
      replyStart = node;
    }
    var top = replyStart.offsetTop - ui.log.offsetTop - 8;
    var bottom = ui.log.scrollHeight - ui.log.clientHeight;
    ui.log.scrollTop = Math.min(bottom, Math.max(0, top));
  }

  function append(message) {
    if (message.from !== "notice") {
      dropOldQuickReplies();
      state.messages.forEach(function (old) {
        delete old.quick_replies;
      });
    }
    message.at = message.at || Date.now();
    state.messages.push(message);
    var node = renderMessage(message);
    ui.log.appendChild(node);
    if (message.from === "bot") {
      scrollForReply(node);
      if (!state.open) {
        state.unread = (state.unread || 0) + 1;
        showUnread();
      }
    } else {
      replyStart = message.from === "user" ? null : replyStart;
      ui.log.scrollTop = ui.log.scrollHeight;
    }
    saveState();
  }

  function renderLog() {
    ui.log.textContent = "";
    state.messages.forEach(function (message) {
      ui.log.appendChild(renderMessage(message));
    });
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function showUnread() {
    var count = state.unread || 0;
    ui.badge.hidden = count === 0;
    ui.badge.textContent = String(count);
    ui.badgeText.textContent = count ? ", " + count + " " + s("unread") : "";
  }

  /* The connection bar: nothing while all is well; offline / no reply with a retry button; "reconnected". */
  function setStatus(kind, action) {
    clearTimeout(reconnectedTimer);
    ui.status.className = "status " + (kind || "");
    ui.statusText.textContent = kind ? s(kind) + (kind === "offline" && outbox.length ? " " + s("queued") : "") : "";
    ui.retry.hidden = !action;
    ui.retry.textContent = action ? s(action.label) : "";
    ui.retry.onclick = action ? action.run : null;
    ui.status.hidden = !kind;
    if (kind === "reconnected") {
      reconnectedTimer = setTimeout(function () {
        setStatus(null);
      }, RECONNECTED_MS);
    }
  }

  function setTyping(on) {
    ui.typing.classList.toggle("on", on);
    ui.typingText.textContent = on ? s("typing") : "";
    clearTimeout(noReplyTimer);
    if (on) {
      noReplyTimer = setTimeout(function () {
        setTyping(false);
        setStatus("no_reply", { label: "send_again", run: resend });
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
    lastSent = text;
    socket.emit("user_uttered", {
      message: text,
      session_id: state.sessionId,
      metadata: { language: state.language },
    });
  }

  function resend() {
    setStatus(null);
    if (lastSent) {
      setTyping(true);
      emitNow(lastSent);
    }
  }

  /* While the status lookup asks for a reference or code, digits are kept out of the widget's own
     history (screen and localStorage); the reference itself stays readable. Rasa gets the text as typed. */
  function shownText(text) {
    var last = state.messages.filter(function (message) {
      return message.from === "bot";
    }).slice(-1)[0];
    if (!last || hasSource(last.text) || !STATUS_PROMPT.test(last.text || "")) {
      return text;
    }
    var references = [];
    var masked = text.replace(REFERENCE, function (reference) {
      references.push(reference);
      return "\u0000";
    }).replace(/[0-9０-９]/g, "•");
    return masked.replace(/\u0000/g, function () {
      return references.shift();
    });
  }

  /* Sends `text`; shows `shown` (a button's title) or the text itself unless `silent`. */
  function send(text, shown, silent) {
    if (!silent) {
      append({ id: randomId(), from: "user", text: shown || shownText(text) });
    }
    if (confirmed) {
      setTyping(true);
      emitNow(text);
    } else {
      outbox.push(text);
      if (wasOffline) {
        setStatus("offline", { label: "retry", run: retryNow });
      }
    }
  }

  function greetIfNew() {
    if (state.open && state.messages.length === 0 && confirmed) {
      send("/greet", "", true);
    }
  }

  function onBotMessage(data) {
    setTyping(false);
    if (ui.status.classList.contains("no_reply")) {
      setStatus(null);
    }
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
    group.querySelector(".thanks").textContent = s("thanks_visible");
    announce(s("thanks"));
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
    }).catch(function () {
      /* the vote stays shown; the office just won't see it */
    });
  }

  function retryNow() {
    setStatus("connecting");
    socket.disconnect();
    socket.connect();
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
      if (wasOffline) {
        wasOffline = false;
        setStatus("reconnected");
      }
      if (outbox.length) {
        setTyping(true);
        outbox.splice(0).forEach(emitNow);
      }
      greetIfNew();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      confirmed = false;
    });
    socket.on("connect_error", function () {
      confirmed = false;
      wasOffline = true;
      ui.root.classList.add("offline");
      setTyping(false);
      setStatus("offline", { label: "retry", run: retryNow });
    });
  }

  function applyStrings() {
    ui.root.setAttribute("lang", htmlLang(state.language));
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
    ui.confirmText.textContent = s("restart_question");
    ui.confirmYes.textContent = s("restart_yes");
    ui.confirmNo.textContent = s("restart_no");
    Array.prototype.forEach.call(ui.langGroup.querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-language") === state.language));
    });
    showUnread();
  }

  function fullScreen() {
    return window.matchMedia(PHONE_WIDTH).matches;
  }

  function setOpen(open) {
    state.open = open;
    if (open) {
      state.unread = 0;
      showUnread();
    }
    saveState();
    ui.panel.hidden = !open;
    ui.panel.setAttribute("aria-modal", String(open && fullScreen()));
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

  function askStartOver() {
    ui.confirm.hidden = false;
    ui.confirmNo.focus();
  }

  function closeConfirm() {
    ui.confirm.hidden = true;
    ui.restart.focus();
  }

  function startOver() {
    ui.confirm.hidden = true;
    state.messages = [];
    state.sessionId = null;
    confirmed = false;
    saveState();
    renderLog();
    setTyping(false);
    setStatus(null);
    socket.emit("session_request", { session_id: null });
    ui.input.focus();
  }

  /* In the full-screen panel of a phone, Tab and Shift+Tab stay inside the dialog. */
  function trapFocus(event) {
    if (event.key !== "Tab" || !fullScreen()) {
      return;
    }
    var focusable = Array.prototype.filter.call(
      ui.panel.querySelectorAll("button, input, a[href], [tabindex='0']"),
      function (node) {
        return !node.disabled && node.getClientRects().length > 0;
      }
    );
    if (!focusable.length) {
      return;
    }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var active = ui.shadow.activeElement;
    if (event.shiftKey && (active === first || !ui.panel.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ui.panel.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  function build() {
    var host = el("div", { id: "fao-widget" });
    document.body.appendChild(host);
    var shadow = host.attachShadow({ mode: "open" });
    ui.shadow = shadow;
    shadow.appendChild(el("link", { rel: "stylesheet", href: WIDGET_BASE + "fao-widget.css" }));

    ui.launcherText = el("span");
    ui.badge = el("span", { className: "badge", "aria-hidden": "true" });
    ui.badgeText = el("span", { className: "sr" });
    ui.launcher = el("button", { type: "button", className: "launcher", "aria-controls": "fao-panel",
                                 "aria-expanded": "false" },
                     [icon("chat"), ui.launcherText, ui.badgeText, ui.badge]);
    ui.title = el("h2", { id: "fao-title" });
    ui.langGroup = el("div", { className: "languages", role: "group" }, [
      el("button", { type: "button", "data-language": "zh", lang: "zh-CN", text: "中文" }),
      el("button", { type: "button", "data-language": "en", lang: "en", text: "English" }),
    ]);
    ui.close = el("button", { type: "button", className: "close", text: "×" });
    ui.log = el("div", { className: "log", role: "log", "aria-live": "polite", tabindex: "0" });
    ui.typingText = el("span", { className: "sr" });
    ui.typing = el("div", { className: "typing", role: "status" },
                   [el("span", { className: "dots", "aria-hidden": "true" },
                       [el("span"), el("span"), el("span")]), ui.typingText]);
    ui.statusText = el("span", { className: "status-text" });
    ui.retry = el("button", { type: "button", className: "retry" });
    ui.status = el("div", { className: "status", role: "status" }, [ui.statusText, ui.retry]);
    ui.status.hidden = true;
    ui.announce = el("div", { className: "sr", role: "status" });
    ui.restart = el("button", { type: "button", className: "restart" });
    ui.confirmText = el("p", { id: "fao-confirm-text" });
    ui.confirmYes = el("button", { type: "button", className: "confirm-yes" });
    ui.confirmNo = el("button", { type: "button", className: "confirm-no" });
    ui.confirm = el("div", { className: "confirm", role: "alertdialog", "aria-labelledby": "fao-confirm-text" },
                    [ui.confirmText, el("div", { className: "confirm-actions" }, [ui.confirmYes, ui.confirmNo])]);
    ui.confirm.hidden = true;
    ui.inputLabel = el("label", { for: "fao-input", className: "sr" });
    ui.input = el("input", { id: "fao-input", type: "text", autocomplete: "off", maxlength: "500",
                             enterkeyhint: "send" });
    ui.send = el("button", { type: "submit", className: "send" });
    ui.form = el("form", { className: "composer" }, [ui.inputLabel, ui.input, ui.send]);
    ui.panel = el("section", { id: "fao-panel", className: "panel", role: "dialog", "aria-modal": "false",
                               "aria-labelledby": "fao-title" },
                  [el("header", {}, [ui.title, ui.langGroup, ui.close]),
                   ui.log, ui.typing, ui.status, ui.announce, ui.confirm,
                   el("div", { className: "tools" }, [ui.restart]), ui.form]);
    ui.panel.hidden = true;
    ui.root = el("div", { className: "root" }, [ui.launcher, ui.panel]);
    shadow.appendChild(ui.root);

    ui.launcher.addEventListener("click", function () {
      setOpen(true);
    });
    ui.close.addEventListener("click", function () {
      setOpen(false);
    });
    ui.restart.addEventListener("click", askStartOver);
    ui.confirmYes.addEventListener("click", startOver);
    ui.confirmNo.addEventListener("click", closeConfirm);
    ui.langGroup.addEventListener("click", function (event) {
      var language = event.target.getAttribute && event.target.getAttribute("data-language");
      if (language) {
        setLanguage(language);
      }
    });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        if (!ui.confirm.hidden) {
          closeConfirm();
        } else {
          setOpen(false);
        }
      }
      trapFocus(event);
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
