//! A mistyped message id renders as the raw id, in production, on the page
//! a reader sees. This test reads the source and checks that every id the
//! code names exists in French and in English.

use super::I18n;
use crate::domain::Lang;
use std::collections::BTreeSet;
use std::path::Path;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
}

/// The string literals in `text`, in order. Raw strings and escapes are
/// rare around message ids; an escaped quote ends nothing here.
fn literals(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else { break };
        found.push(&after[..end]);
        rest = &after[end + 1..];
    }
    found
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
}

/// The text of the parenthesised arguments that start at `open`.
fn call_args(text: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    &text[open..]
}

/// The body of each function named `name`, braces matched.
fn fn_bodies<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let mut bodies = Vec::new();
    let needle = format!("fn {name}(");
    let mut from = 0;
    while let Some(at) = text[from..].find(&needle) {
        let start = from + at;
        let Some(brace) = text[start..].find('{') else {
            break;
        };
        let open = start + brace;
        let mut depth = 0;
        let mut end = text.len();
        for (i, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        bodies.push(&text[open..end]);
        from = end;
    }
    bodies
}

/// The ids the code names: the literals given to `t` and the first one
/// given to `ta`, those returned by `message_id` functions, and literals
/// of the label families (`ws-`, `field-`, `error-`) wherever they stand.
fn used_ids(files: &[(String, String)]) -> BTreeSet<(String, String)> {
    let mut used = BTreeSet::new();
    for (file, text) in files {
        if file.ends_with("i18n/usage.rs") {
            continue;
        }
        for (call, all) in [(".t(", true), (".ta(", false)] {
            let mut from = 0;
            while let Some(at) = text[from..].find(call) {
                let open = from + at + call.len() - 1;
                let args = call_args(text, open);
                let args = if all {
                    args
                } else {
                    args.split("&[").next().unwrap_or("")
                };
                for lit in literals(args).into_iter().filter(|l| is_id(l)) {
                    used.insert((lit.to_string(), file.clone()));
                }
                from = open + 1;
            }
        }
        for name in ["message_id", "message_ids"] {
            for body in fn_bodies(text, name) {
                for lit in literals(body).into_iter().filter(|l| is_id(l)) {
                    used.insert((lit.to_string(), file.clone()));
                }
            }
        }
        for lit in literals(text) {
            let family = ["ws-", "field-", "error-"].iter().any(|p| lit.starts_with(p));
            if family && is_id(lit) {
                used.insert((lit.to_string(), file.clone()));
            }
        }
    }
    used
}

#[test]
fn every_message_id_the_code_names_exists_in_every_language() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 50, "the source was found");
    let i18n = I18n::new().expect("resources parse");
    let used = used_ids(&files);
    assert!(used.len() > 200, "ids were found: {}", used.len());
    let missing: Vec<String> = used
        .iter()
        .filter(|(id, _)| !Lang::all().all(|lang| i18n.has(lang, id)))
        .map(|(id, file)| format!("{id} ({file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "message ids missing from a language: {missing:#?}"
    );
}

#[test]
fn the_scanner_finds_what_it_must() {
    let src = r#"tr.t("a-b"); tr.ta("c-d", &[("name", "x-y".into())]); tr.t(if x { "e-f" } else { "g-h" });
        fn message_id(&self) -> &'static str { match self { A => "i-j" } }
        let label = "ws-k";"#;
    let ids: Vec<String> = used_ids(&[("f.rs".into(), src.into())])
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["a-b", "c-d", "e-f", "g-h", "i-j", "ws-k"]);
}
