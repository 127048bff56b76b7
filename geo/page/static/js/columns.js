// columns: the events of the data block, written as columns, expanded into the event objects every other piece reads; a piece of the one casemap script (assets.py)
/* The build writes the events as one array per field, repeated values (category, precisions, places, source ids) as
 * a dictionary and integer codes, and what few events have (a place note, a public date, claims) by position
 * (geo/page/eventcolumns.py, which documents the shape). Fewer bytes to compress, decode and parse than one object per
 * event. expandEvents makes the objects geo/page/payload.py's event_payload describes, key for key and in its order,
 * so the rest of the script reads events as before. Columns that do not fit are refused with an error naming the
 * field and what was expected (the start-up notice shows it), never read wrongly: the build made them, so a misfit is
 * a broken page, not data to guess at. */

function eventsError(field, expected, position) {
  // Code words only (the notice shows them in <code> for a report): field(/position):what-was-expected.
  return new Error("casemap-events:" + field + (position === undefined ? "" : "/" + position) + ":expected-" + expected);
}

function eventColumn(value, length, field) {
  // One array of exactly `length` entries.
  if (!Array.isArray(value) || value.length !== length) { throw eventsError(field, length + "-entries"); }
  return value;
}

function decodedColumn(coded, length, field) {
  // {values, codes}: each code a position in values, or -1 for none (null).
  var values = own(coded, "values"), codes = eventColumn(own(coded, "codes"), length, field + ".codes"), out = new Array(length);
  if (!Array.isArray(values)) { throw eventsError(field + ".values", "list"); }
  for (var i = 0; i < length; i++) {
    var code = codes[i];
    if (code === -1) { out[i] = null; continue; }
    if (!Number.isInteger(code) || code < 0 || code >= values.length) { throw eventsError(field + ".codes", "code-of-a-value", i); }
    out[i] = values[code];
  }
  return out;
}

function intervalColumns(columns, length, field) {
  // Intervals as parallel columns; an end left out (null) is the start.
  var starts = eventColumn(own(columns, "start"), length, field + ".start"), ends = eventColumn(own(columns, "end"), length, field + ".end");
  var precisions = decodedColumn(own(columns, "precision"), length, field + ".precision"), labels = eventColumn(own(columns, "label"), length, field + ".label");
  var out = new Array(length);
  for (var i = 0; i < length; i++) {
    out[i] = { start: starts[i], end: ends[i] === null ? starts[i] : ends[i], precision: precisions[i], label: labels[i] };
  }
  return out;
}

function eventPositions(columns, field, count) {
  // The positions of the events a sparse column speaks of: increasing, each an event.
  var at = own(columns, "at");
  if (!Array.isArray(at)) { throw eventsError(field + ".at", "list"); }
  for (var k = 0; k < at.length; k++) {
    if (!Number.isInteger(at[k]) || at[k] < 0 || at[k] >= count || (k && at[k] <= at[k - 1])) { throw eventsError(field + ".at", "increasing-event-positions", k); }
  }
  return at;
}

function expandEvents(columns) {
  // The event objects of geo/page/payload.py's event_payload, in order, from the columns of geo/page/eventcolumns.py.
  var count = own(columns, "count");
  if (!Number.isInteger(count) || count < 0) { throw eventsError("count", "number-of-events"); }
  var ids = eventColumn(own(columns, "id"), count, "id"), titles = eventColumn(own(columns, "title"), count, "title");
  var descriptions = eventColumn(own(columns, "description"), count, "description");
  var categories = decodedColumn(own(columns, "category"), count, "category"), whens = intervalColumns(own(columns, "when"), count, "when");
  var where = own(columns, "where"), precisions = decodedColumn(own(where, "precision"), count, "where.precision");
  var places = decodedColumn(own(where, "place"), count, "where.place");
  var noteAt = eventPositions(own(where, "note"), "where.note", count), notes = eventColumn(own(own(where, "note"), "text"), noteAt.length, "where.note.text");
  var sources = own(columns, "sources"), perEvent = eventColumn(own(sources, "count"), count, "sources.count");
  var cited = 0;
  perEvent.forEach(function (n, i) { if (!Number.isInteger(n) || n < 0) { throw eventsError("sources.count", "number-of-citations", i); } cited += n; });
  var sourceIds = decodedColumn(own(sources, "source"), cited, "sources.source"), confirms = eventColumn(own(sources, "confirms"), cited, "sources.confirms");
  var publicAt = eventPositions(own(columns, "public"), "public", count), publics = intervalColumns(own(columns, "public"), publicAt.length, "public");
  var claimAt = eventPositions(own(columns, "claims"), "claims", count), claims = eventColumn(own(own(columns, "claims"), "items"), claimAt.length, "claims.items");
  var events = new Array(count), citation = 0, nextNote = 0, nextPublic = 0, nextClaim = 0;
  for (var i = 0; i < count; i++) {
    var place = { precision: precisions[i] };
    if (places[i] !== null) { place.place = places[i]; }
    if (noteAt[nextNote] === i) { place.note = notes[nextNote++]; }
    var eventSources = new Array(perEvent[i]);
    for (var k = 0; k < perEvent[i]; k++, citation++) { eventSources[k] = { source: sourceIds[citation], confirms: confirms[citation] }; }
    var event = { id: ids[i], title: titles[i], description: descriptions[i], category: categories[i], when: whens[i], where: place, sources: eventSources };
    if (publicAt[nextPublic] === i) { event.public = publics[nextPublic++]; }
    if (claimAt[nextClaim] === i) { event.claims = claims[nextClaim++]; }
    events[i] = event;
  }
  return events;
}
