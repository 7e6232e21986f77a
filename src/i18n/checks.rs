//! Every message, in both languages, against the typographic rules and the
//! plural rules: a fault here is one a reader would see.

use super::typography::{self, check};
use super::{sources, I18n};
use crate::domain::Lang;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey};

/// Variables that hold words, never a number: everything else placed
/// before a noun is a count and needs its plural forms.
const WORDS: &[&str] = &[
    "name",
    "title",
    "site",
    "email",
    "language",
    "date",
    "at",
    "next",
    "place",
    "display",
    "time",
    "hash",
    "message",
    "domain",
    "affiliation",
    "body",
    "who",
    "zone",
    "label",
    "text",
    "url",
    // The audit log's sentences (`views::workspace::team`).
    "old",
    "new",
    "how",
    "format",
    "was",
    "from",
    "to",
    "window",
    "what",
    "detail",
    "by",
];

/// Words that may follow a count without agreeing with it: prepositions,
/// and English participles, which have one form.
const NO_AGREEMENT: &[&str] = &["sur", "of", "de", "à", "to", "from", "du", "excluded"];

/// Selectors that pick a word by value rather than by plural category.
const BY_VALUE: &[&str] = &[
    "month", "day", // The audit log's sentences pick their words by these:
    "change", "scope", "mode", "role", "list", "had", "noted", "excluded", "erased", "reason",
];

fn messages(lang: Lang) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for source in sources(lang) {
        let resource = FluentResource::try_new(source.to_string()).expect("parses");
        for entry in resource.entries() {
            if let Entry::Message(m) = entry {
                if let Some(pattern) = &m.value {
                    let mut vars = Vec::new();
                    variables(pattern, &mut vars);
                    out.push((m.id.name.to_string(), vars));
                }
            }
        }
    }
    out
}

fn variables(pattern: &Pattern<&str>, out: &mut Vec<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            match expression {
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    out.push(id.name.to_string())
                }
                Expression::Select { selector, variants } => {
                    if let InlineExpression::VariableReference { id } = selector {
                        out.push(id.name.to_string());
                    }
                    for v in variants {
                        variables(&v.value, out);
                    }
                }
                _ => {}
            }
        }
    }
}

#[test]
fn every_message_follows_the_typographic_rules() {
    let i18n = I18n::new().unwrap();
    let mut faults = Vec::new();
    for lang in Lang::all() {
        for (id, vars) in messages(lang) {
            // Every plural category and every month shows up for some value.
            for n in 0..=12i64 {
                let mut args = FluentArgs::new();
                for var in &vars {
                    let value = if WORDS.contains(&var.as_str()) {
                        FluentValue::from("mot")
                    } else {
                        FluentValue::from(n)
                    };
                    args.set(var.clone(), value);
                }
                let text = i18n.message(lang, &id, Some(&args));
                for f in check(lang, &text) {
                    faults.push(format!("{lang} {id}: {} in {:?}", f.what, f.context));
                }
            }
        }
    }
    faults.dedup();
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// A count placed before a noun outside a plural selector ("{ $seconds }
/// secondes") reads wrong for one; a selector on a count without both
/// `one` and `other` misses a form.
fn plural_faults(id: &str, pattern: &Pattern<&str>, inside: &[String], out: &mut Vec<String>) {
    let elements = &pattern.elements;
    for (i, element) in elements.iter().enumerate() {
        let PatternElement::Placeable { expression } = element else {
            continue;
        };
        match expression {
            Expression::Inline(InlineExpression::VariableReference { id: var }) => {
                let name = var.name;
                if WORDS.contains(&name) || inside.iter().any(|s| s == name) {
                    continue;
                }
                if let Some(PatternElement::TextElement { value }) = elements.get(i + 1) {
                    let next_word: String = value
                        .trim_start_matches([' ', typography::NBSP, typography::NNBSP])
                        .chars()
                        .take_while(|c| c.is_alphabetic())
                        .collect();
                    let spaced = value.starts_with([' ', typography::NBSP, typography::NNBSP]);
                    if spaced && !next_word.is_empty() && !NO_AGREEMENT.contains(&next_word.as_str()) {
                        out.push(format!("{id}: {{ ${name} }} {next_word} has no plural forms"));
                    }
                }
            }
            Expression::Select { selector, variants } => {
                let mut inside = inside.to_vec();
                if let InlineExpression::VariableReference { id: var } = selector {
                    if !BY_VALUE.contains(&var.name) {
                        let keys: Vec<&str> = variants
                            .iter()
                            .filter_map(|v| match &v.key {
                                VariantKey::Identifier { name } => Some(*name),
                                VariantKey::NumberLiteral { .. } => None,
                            })
                            .collect();
                        if !(keys.contains(&"one") && keys.contains(&"other")) {
                            out.push(format!("{id}: the selector on ${} lacks one or other", var.name));
                        }
                    }
                    inside.push(var.name.to_string());
                }
                for v in variants {
                    plural_faults(id, &v.value, &inside, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_count_has_its_plural_forms() {
    let mut faults = Vec::new();
    for lang in Lang::all() {
        for source in sources(lang) {
            let resource = FluentResource::try_new(source.to_string()).expect("parses");
            for entry in resource.entries() {
                if let Entry::Message(m) = entry {
                    if let Some(pattern) = &m.value {
                        let mut found = Vec::new();
                        plural_faults(m.id.name, pattern, &[], &mut found);
                        faults.extend(found.into_iter().map(|f| format!("{lang} {f}")));
                    }
                }
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn french_counts_zero_and_one_as_singular() {
    let i18n = I18n::new().unwrap();
    let tr = i18n.tr(Lang::FR);
    let en = i18n.tr(Lang::EN);
    let seconds = |tr: &super::Tr, n: i64| tr.ta("too-many-body", &[("seconds", n.into())]);
    assert!(
        seconds(&tr, 1).contains("1 seconde\u{202f};"),
        "{}",
        seconds(&tr, 1)
    );
    assert!(
        seconds(&tr, 0).contains("0 seconde\u{202f};"),
        "{}",
        seconds(&tr, 0)
    );
    assert!(
        seconds(&tr, 7).contains("7 secondes\u{202f};"),
        "{}",
        seconds(&tr, 7)
    );
    assert!(seconds(&en, 1).contains("1 second;"), "{}", seconds(&en, 1));
    assert!(seconds(&en, 0).contains("0 seconds;"), "{}", seconds(&en, 0));
}
