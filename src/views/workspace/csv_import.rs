//! Importing signatures collected elsewhere from a CSV file: the upload
//! form, then the page that chooses the columns and the way in, previews
//! the first rows with their problems, and imports.

use super::letters::ws_letter;
use super::{csrf_field, form_errors, page};
use crate::db::csv_uploads::Upload;
use crate::db::letters::Letter;
use crate::db::organizers::Organizer;
use crate::domain::csv_file::CsvFile;
use crate::domain::csv_rows::{Fate, Mode, Plan};
use crate::i18n::{Arg, Tr};
use crate::model::LetterId;
use maud::{html, Markup};

/// Rows shown in the preview table.
pub const PREVIEW_ROWS: usize = 20;
/// Problems listed under it.
pub const PROBLEMS_SHOWN: usize = 100;

pub fn base(letter: &LetterId) -> String {
    format!("{}/import/csv", ws_letter(letter))
}

pub fn upload(tr: &Tr, who: (&Organizer, &str), l: &Letter, errors: &[String]) -> Markup {
    let action = base(&l.id);
    let content = html! {
        h1 { (tr.t("csv-import")) " · " (l.title) }
        p.hint { (tr.t("csv-import-hint")) }
        (form_errors(tr, errors))
        form method="post" action=(action) enctype="multipart/form-data" {
            (csrf_field(who.1))
            div.field {
                label for="file" { (tr.t("csv-file")) }
                input #file type="file" name="file" accept=".csv,text/csv,text/plain" required;
            }
            button type="submit" { (tr.t("csv-upload")) }
        }
        p { a href=(ws_letter(&l.id)) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &action, Some(who), &tr.t("csv-import"), content)
}

/// The organizer's choices as typed, to show again.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub name: usize,
    pub titles: Vec<usize>,
    pub email: Option<usize>,
    pub city: Option<usize>,
    pub mode: Option<Mode>,
    pub public: bool,
    pub by: String,
    pub on: String,
    pub how: String,
}

/// The file read and what its rows would become.
pub struct Preview<'a> {
    pub upload: &'a Upload,
    pub file: &'a CsvFile,
    pub plan: &'a Plan,
    /// Each invalid row's problems, translated, with their line.
    pub problems: &'a [String],
}

fn column_select(tr: &Tr, id: &str, columns: &[String], chosen: Option<usize>, optional: bool) -> Markup {
    html! {
        select #(id) name=(id) {
            @if optional { option value="" selected[chosen.is_none()] { (tr.t("csv-column-none")) } }
            @for (i, c) in columns.iter().enumerate() {
                option value=(i) selected[chosen == Some(i)] { (c) }
            }
        }
    }
}

fn fate_label(tr: &Tr, fate: &Fate) -> String {
    match fate {
        Fate::New(_) => tr.t("csv-fate-new"),
        Fate::TwiceInFile(_, first) => tr.ta("csv-fate-twice", &[("line", Arg::Num(*first as i64))]),
        Fate::OnLetter(_) => tr.t("csv-fate-on-letter"),
        Fate::Invalid(_) => tr.t("csv-fate-invalid"),
    }
}

fn choices(tr: &Tr, columns: &[String], t: &Typed) -> Markup {
    let mode = t.mode.unwrap_or(Mode::Confirm);
    html! {
        fieldset {
            legend { (tr.t("csv-columns")) }
            div.field { label for="name" { (tr.t("field-name")) } (column_select(tr, "name", columns, Some(t.name), false)) }
            div.field {
                span { (tr.t("csv-title-columns")) }
                @for (i, c) in columns.iter().enumerate() {
                    label.choice { input type="checkbox" name="title" value=(i) checked[t.titles.contains(&i)]; " " (c) }
                }
            }
            div.field { label for="email" { (tr.t("field-email")) } (column_select(tr, "email", columns, t.email, true)) }
            div.field { label for="city" { (tr.t("field-city")) } (column_select(tr, "city", columns, t.city, true)) }
        }
        fieldset {
            legend { (tr.t("csv-mode")) }
            label.choice { input type="radio" name="mode" value="confirm" checked[mode == Mode::Confirm]; " " (tr.t("csv-mode-confirm")) }
            label.choice { input type="radio" name="mode" value="in-person" checked[mode == Mode::InPerson]; " " (tr.t("csv-mode-in-person")) }
            p.hint { (tr.t("csv-evidence-hint")) }
            div.field { label for="by" { (tr.t("csv-collected-by")) } input #by type="text" name="by" value=(t.by); }
            div.field { label for="on" { (tr.t("csv-collected-on")) } input #on type="date" name="on" value=(t.on); }
            div.field { label for="how" { (tr.t("csv-collected-how")) } input #how type="text" name="how" value=(t.how); }
        }
        fieldset {
            legend { (tr.t("field-visibility")) }
            label.choice { input type="radio" name="visibility" value="public" checked[t.public]; " " (tr.t("csv-public")) }
            label.choice { input type="radio" name="visibility" value="count-only" checked[!t.public]; " " (tr.t("csv-count-only")) }
        }
    }
}

fn rows(tr: &Tr, p: &Preview) -> Markup {
    let (new, duplicates, invalid) = p.plan.tally();
    let cells = |line: usize| p.file.rows.iter().find(|r| r.line == line);
    html! {
        p role="status" { (tr.ta("csv-tally", &[
            ("rows", Arg::Num(p.file.rows.len() as i64)),
            ("new", Arg::Num(new as i64)),
            ("duplicates", Arg::Num(duplicates as i64)),
            ("invalid", Arg::Num(invalid as i64)),
        ])) }
        table.csv-preview {
            thead { tr { th { (tr.t("csv-line")) } @for c in &p.file.columns { th { (c) } } th { (tr.t("csv-fate")) } } }
            tbody {
                @for (line, fate) in p.plan.rows.iter().take(PREVIEW_ROWS) {
                    tr {
                        td { (line) }
                        @for i in 0..p.file.columns.len() { td { (cells(*line).map(|r| r.cell(i)).unwrap_or("")) } }
                        td { (fate_label(tr, fate)) }
                    }
                }
            }
        }
        @if !p.problems.is_empty() {
            h2 { (tr.t("csv-problems")) }
            ul.csv-problems { @for m in p.problems.iter().take(PROBLEMS_SHOWN) { li { (m) } } }
            @if p.problems.len() > PROBLEMS_SHOWN {
                p { (tr.ta("csv-problems-more", &[("n", Arg::Num((p.problems.len() - PROBLEMS_SHOWN) as i64))])) }
            }
        }
    }
}

pub fn preview(
    tr: &Tr,
    who: (&Organizer, &str),
    l: &Letter,
    p: &Preview,
    typed: &Typed,
    errors: &[String],
) -> Markup {
    let action = format!("{}/{}", base(&l.id), p.upload.file_hash);
    let (new, _, _) = p.plan.tally();
    let content = html! {
        h1 { (tr.t("csv-import")) " · " (l.title) }
        p { (tr.ta("csv-file-read", &[("name", p.upload.file_name.as_str().into()), ("rows", Arg::Num(p.file.rows.len() as i64))])) }
        (form_errors(tr, errors))
        form method="post" action=(action) {
            (csrf_field(who.1))
            (choices(tr, &p.file.columns, typed))
            button type="submit" name="step" value="preview" { (tr.t("ws-preview")) }
            @if new > 0 {
                " " button type="submit" name="step" value="import" { (tr.ta("csv-import-button", &[("n", Arg::Num(new as i64))])) }
            }
        }
        (rows(tr, p))
        p { a href=(base(&l.id)) { "← " (tr.t("csv-another-file")) } }
    };
    page(tr, &action, Some(who), &tr.t("csv-import"), content)
}

/// A file already imported: when, and how many signatures it brought.
pub fn imported(tr: &Tr, who: (&Organizer, &str), l: &Letter, upload: &Upload) -> Markup {
    let action = format!("{}/{}", base(&l.id), upload.file_hash);
    let content = html! {
        h1 { (tr.t("csv-import")) " · " (l.title) }
        p.saved role="status" { (tr.ta("csv-imported", &[
            ("name", upload.file_name.as_str().into()),
            ("at", tr.time(upload.imported_at.unwrap_or(upload.created_at)).into()),
            ("n", Arg::Num(upload.imported_count.unwrap_or(0) as i64)),
        ])) }
        p { a href=(ws_letter(&l.id)) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &action, Some(who), &tr.t("csv-import"), content)
}
