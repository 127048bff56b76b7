// content: the case's texts in the page's language (data/translations), overlaid once at start and marked; a piece of the one casemap script (assets.py)
/* The case folder may hold the casemap project's own translations of its texts (data/translations/ru.yaml, zh.yaml;
 * geo/casefile/translations.py), which travel as data.translations = {ru: {...}, zh: {...}}. At start, before
 * anything is drawn, applyContentLanguage() puts the page language's texts in place of the English on the decoded
 * records, so that every piece shows them without knowing of translations; and it records, per record and field,
 * which language the text shown is in: the page's (a translation, said once per card, chapter and summary to be the
 * project's, never the sources' words) or "en" (no translation yet: the text keeps lang="en" and a visible mark).
 * Quotes of the article and the sources' titles are never translated: they are the sources' words. */

// The texts a translation may render, by record: [field on the record, field in the translation].
var EVENT_TEXTS = [["title", "title"], ["description", "description"]];
var CLAIM_TEXTS = [["reason", "reason"], ["other_account", "other_account"]];
var LAYER_TEXTS = [["title", "title"], ["description", "description"], ["popupNote", "popup_note"]];
var DEPOT_TEXTS = [["name", "name"], ["size_reason", "size_reason"], ["known", "known"], ["unknown", "unknown"]];
var PLACE_TEXTS = [["note", "note"]];

function overlayTexts(content, record, pairs, translated) {
  // Each non-empty English field of the record: replaced by its translation where there is one (origin: the page's
  // language), else kept (origin "en"). The English is kept aside for search (eventTitles).
  if (record === null || typeof record !== "object") { return; }
  var origin = content.origin.get(record) || {}, english = content.english.get(record) || {};
  pairs.forEach(function (pair) {
    var shown = own(record, pair[0]);
    if (typeof shown !== "string" || !shown) { return; }
    var replacement = own(translated, pair[1]);
    english[pair[0]] = shown;
    if (typeof replacement === "string" && replacement) {
      record[pair[0]] = replacement;
      origin[pair[0]] = content.language;
    } else {
      origin[pair[0]] = "en";
    }
  });
  content.origin.set(record, origin);
  content.english.set(record, english);
}

function overlayList(content, record, field, translated) {
  // A list of paragraphs: all of them or none (the build checked the counts).
  if (record === null || typeof record !== "object" || !Array.isArray(own(record, field)) || !record[field].length) { return; }
  var replacement = list(translated), origin = content.origin.get(record) || {};
  var whole = replacement.length === record[field].length && replacement.every(function (p) { return typeof p === "string"; });
  if (whole) { record[field] = replacement.slice(); }
  origin[field] = whole ? content.language : "en";
  content.origin.set(record, origin);
}

function overlayEvents(content, data, translated) {
  list(data.events).forEach(function (event) {
    var tr = own(translated, event.id) || {};
    overlayTexts(content, event, EVENT_TEXTS, tr);
    overlayTexts(content, event.where, [["note", "where_note"]], tr);
    // Only a label events.yaml wrote by hand is translated; a generated one is made in the page's language.
    if (typeof own(tr, "when_label") === "string") { overlayTexts(content, event.when, [["label", "when_label"]], tr); }
    if (event.public && typeof own(tr, "public_label") === "string") { overlayTexts(content, event.public, [["label", "public_label"]], tr); }
    list(event.claims).forEach(function (claim, k) { overlayTexts(content, claim, CLAIM_TEXTS, own(own(tr, "claims"), String(k)) || {}); });
  });
}

function overlayCase(content, data, translated) {
  overlayTexts(content, data, [["title", "title"], ["description", "description"], ["searchHint", "search_hint"]], own(translated, "case") || {});
  list(data.categories).forEach(function (c) { overlayTexts(content, c, [["label", "label"]], own(own(translated, "categories"), c.id) || {}); });
  list(data.groups).forEach(function (g) { overlayTexts(content, g, [["label", "label"]], own(own(translated, "groups"), g.id) || {}); });
  list(data.timePresets).forEach(function (p) {
    overlayTexts(content, p, [["label", "label"]], own(own(translated, "time_presets"), p.start + "/" + p.end) || {});
  });
  list(data.layers).forEach(function (layer) {
    var tr = own(own(translated, "layers"), layer.key) || {};
    overlayTexts(content, layer, LAYER_TEXTS, tr);
    overlayTexts(content, own(own(data.method, "layers"), layer.key), [["title", "title"]], tr);
  });
}

function overlayFeatures(content, data, translated) {
  // Depots and places are features of their layers: their texts are the features' properties. A place's name is
  // the one in the page's language where places.yaml picked one (name_ru, name_zh), a name, not a translation.
  var nameField = "name_" + content.language;
  Object.keys(data.featureIds || {}).forEach(function (key) {
    list(own(data.properties, key)).forEach(function (props, i) {
      var id = list(data.featureIds[key])[i], depot = own(own(translated, "depots"), id), place = own(own(translated, "places"), id);
      // A depot's record carries known/unknown, a place's roles (geo/page/content.py reads them the same way).
      // Any other feature (a border, a distance band, a country): its name from features[] by layer and id, else the
      // name in the page's language its layer gives (name_ru, name_zh), else the English, marked.
      var named = own(own(own(translated, "features"), key), id);
      if (own(props, "known") !== undefined) { overlayTexts(content, props, DEPOT_TEXTS, depot || {}); }
      else if (own(props, "roles") !== undefined) {
        overlayTexts(content, props, PLACE_TEXTS, place || {});
        list(own(props, "roles")).forEach(function (role, k) { overlayTexts(content, role, [["role", "role"]], { role: list(own(place, "roles"))[k] }); });
      } else if (text(own(named, "name")) || !text(own(props, nameField))) {
        overlayTexts(content, props, [["name", "name"]], named || {});
        return;
      }
      if (text(own(props, nameField))) { content.english.set(props, Object.assign(content.english.get(props) || {}, { name: props.name })); props.name = props[nameField]; }
      else { markEnglishName(content, props); }
    });
  });
  Object.keys(data.places || {}).forEach(function (id) {
    var place = data.places[id];
    if (text(own(place, nameField))) { content.english.set(place, { name: place.name }); place.name = place[nameField]; }
    else { markEnglishName(content, place); }
  });
}

function markEnglishName(content, record) {
  // A place with no name in the page's language (GeoNames gives many small towns no Chinese one) keeps its English name, which
  // is then an English fallback like any other text: tagged lang="en" and marked where it is shown (contentText).
  var origin = content.origin.get(record) || {};
  if (text(own(record, "name")) && !own(origin, "name")) { origin.name = "en"; content.origin.set(record, origin); }
}

function applyContentLanguage(data, lang) {
  // Overlay lang's texts on the decoded records (data, before any Map is made of it) and return what was shown where:
  // {language, translator, origin: record -> {field: lang or "en"}, english: record -> {field: the English}}.
  // Pure but for the records it is given: no page state, no DOM. English pages are left exactly as they are.
  var content = { language: lang, translator: "", origin: new WeakMap(), english: new WeakMap() };
  data.content = content;
  if (lang === "en") { return content; }
  var translated = own(own(data, "translations"), lang) || {};
  content.translator = text(own(translated, "translator"));
  overlayEvents(content, data, own(translated, "events"));
  overlayCase(content, data, translated);
  overlayFeatures(content, data, translated);
  if (data.story) {
    overlayList(content, data.story, "summary", own(translated, "summary"));
    list(data.story.chapters).forEach(function (chapter) {
      var tr = own(own(translated, "chapters"), chapter.id) || {};
      overlayTexts(content, chapter, [["title", "title"]], tr);
      overlayList(content, chapter, "text", own(tr, "text"));
    });
  }
  list(own(data.article, "sentences")).forEach(function (sentence) {
    overlayTexts(content, sentence, [["why", "why"], ["mt_note", "mt_note"]], own(own(translated, "sentences"), String(sentence.n)) || {});
  });
  return content;
}

/* ---------- what the pieces ask ---------- */

function textOrigin(record, field) {
  // "en" where the text shown stands in English for a missing translation, the page's language where it is the
  // project's translation; null on an English page or for a text the overlay did not touch.
  var content = state && state.data.content;
  if (!content || content.language === "en" || record === null || typeof record !== "object") { return null; }
  return own(content.origin.get(record), field) || null;
}

function isTranslated(record, fields) {
  return fields.some(function (field) { var o = textOrigin(record, field); return o !== null && o !== "en"; });
}

function englishMark() {
  return el("span", { className: "cm-lang-mark", lang: LANGUAGE_TAGS[currentLanguage()], title: t("content.english_title"), text: t("content.english") });
}

function contentText(tag, record, field, attrs) {
  // The record's text in an element; an English fallback says so: lang="en" on the text and a visible mark.
  var fallback = textOrigin(record, field) === "en";
  var node = el(tag, Object.assign({}, attrs, fallback ? { lang: "en" } : null), [text(own(record, field))]);
  if (fallback) { node.appendChild(document.createTextNode(" ")); node.appendChild(englishMark()); }
  return node;
}

function contentMessage(key, params, slot, record, field) {
  // A message with one of the case's texts in its {slot} (a place's name in "{place} — {precision}"): the text goes in
  // through contentText, so that an English fallback inside a sentence is tagged and marked as it is on its own.
  var parts = t(key, params).split("{" + slot + "}");
  if (parts.length !== 2 || textOrigin(record, field) !== "en") {
    var filled = {};
    filled[slot] = text(own(record, field));
    return t(key, Object.assign({}, params, filled));
  }
  return el("span", null, [parts[0], contentText("span", record, field), parts[1]]);
}

function contentParagraphs(record, field) {
  // A list of paragraphs, each a <p>; untranslated, each is lang="en" and the first carries the mark.
  var fallback = textOrigin(record, field) === "en";
  return list(own(record, field)).map(function (paragraph, k) {
    return el("p", fallback ? { lang: "en" } : null, [fallback && k === 0 ? englishMark() : null, fallback && k === 0 ? " " : null, text(paragraph)]);
  });
}

function translationNote(translated) {
  // Once per card, chapter and summary that shows a translated text: whose translation it is, and that it is not
  // the sources' words (their titles and the article's quotes stay as they were written).
  if (!translated) { return null; }
  var content = state.data.content;
  return el("p", { className: "cm-translation-note cm-small" }, [t("content.translated", { translator: content.translator })]);
}

function englishText(record, field) {
  // The English the case folder holds for a record's field, whatever the page shows: downloads export the case's
  // data as the files hold it (an export is imported back into a case: geo/export), never the page's translation.
  var english = state && state.data.content ? state.data.content.english.get(record) : null;
  var value = english && own(english, field) !== undefined ? english[field] : own(record, field);
  return text(value);
}

function englishProperties(props) {
  // A feature's properties as the layer file holds them (a copy: the page keeps showing its own language).
  var english = state && state.data.content ? state.data.content.english : null;
  if (!english || !english.get(props)) { return props; }
  var copy = Object.assign({}, props, english.get(props));
  if (Array.isArray(props.roles)) {
    copy.roles = props.roles.map(function (role) { return Object.assign({}, role, english.get(role) || {}); });
  }
  return copy;
}

function eventTitles(event) {
  // The event's title in every language the page has it in (English first): search finds it by any of them.
  var english = state.data.content && state.data.content.english.get(event);
  var titles = [english && english.title ? english.title : event.title];
  Object.keys(state.data.translations || {}).forEach(function (lang) {
    var title = own(own(own(state.data.translations[lang], "events"), event.id), "title");
    if (typeof title === "string" && titles.indexOf(title) < 0) { titles.push(title); }
  });
  if (titles.indexOf(event.title) < 0) { titles.push(event.title); }
  return titles;
}
