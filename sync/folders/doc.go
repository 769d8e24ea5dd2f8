// Package folders owns the folder grammar of FileSync: it turns a project's
// "sync folders" and "ignore folders" entries, as the user typed them, into
// folders relative to a computer's root folder plus rsync exclude patterns.
//
// It uses only the standard library; it imports nothing of Fyne, gorm or the
// rest of FileSync, so the UI, the database layer and the sync engine can all
// share one definition of what an entry means.
//
// # Lists
//
// [ParseList] accepts the three ways a list is typed: the seed's bracketed
// form "[ data/folder1, data/folder2, models ]" (possibly over several lines,
// brackets on their own lines), one entry per line, or comma-separated. Blank
// items are skipped and one pair of surrounding quotes ('x' or "x") is
// stripped. A "[" that starts the text opens the list only when its
// matching "]" ends the text or encloses a comma, space or line break;
// otherwise it starts a glob class such as "[ab]*.tmp". Quote an entry to
// keep it from being read as the list's brackets.
//
// # Entries
//
// Every entry is trimmed of spaces and slash-cleaned ("data//x/./y/" is
// "data/x/y"). It is rejected, with an [*EntryError] naming it, when it is
// empty, is the root folder itself ("."), is absolute ("/…" or "~…"), has a
// ".." segment, has a segment starting with "-" (rsync would read it as an
// option), contains a control character or a backslash, or is not valid
// UTF-8.
//
// An entry whose first segment is "data" or "models" is moved into the
// project's folder: for project P, "data" is "data/P" and "data/folder1" is
// "data/P/folder1"; "data/P/x" stays as written. Anything else is kept as a
// path relative to the root folder. A project with no sync entries syncs
// "data" and "models".
//
// Sync folders that repeat or lie inside another sync folder (compared by
// path segments, never by string prefix) collapse into the outer one.
//
// # Ignore entries
//
// Ignore entries follow the same grammar. For every sync folder F and ignore
// entry I:
//
//   - I equal to F, or F inside I: F is not synced at all. When ignore
//     entries cover every sync folder, [Resolution.Folders] is empty.
//   - I inside F: I becomes the exclude "/I". The caller runs rsync with
//     --relative from the root folder, so patterns are anchored at the root
//     folder and spell the whole root-relative path.
//   - I a single name (no "/") other than "data" or "models", such as
//     "__pycache__", ".git" or "*.tmp": it applies at every depth of every
//     folder, as the two excludes "/F/I" and "/F/**/I" (rsync's "**" does not
//     match the empty string, so the first is needed for F's own children).
//     A plain name counts as "everywhere" because that is what a user typing
//     "__pycache__" means; to ignore only the top-level one, write its path.
//   - I with a "/" that relates to no sync folder is returned in
//     [Resolution.Unused] so the caller can warn about it.
//
// Ignore entries may hold rsync glob characters ("*", "?", "["), e.g.
// "data/P/*/cache", and are compared with sync folders segment by segment
// with those globs applied. A segment holding "**" can span several folders,
// so from that segment on the entry is left to rsync as an exclude. Sync
// folders and project names are always literal: when an exclude contains a
// wildcard, their "*", "?", "[" and "\" are escaped so rsync matches them
// as written.
package folders
