//! TOML loading with positions: syntax errors, every unknown key at once, type errors, and the
//! line and column of every key and list entry for later validation errors.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::locate::{Origin, unknown_key};
use super::{KNOWN_KEYS, Settings};
use crate::error::{ConfigError, Location, Source};

/// Parse TOML settings text (not yet validated).
pub(crate) fn parse(text: &str, source: &Source) -> Result<Settings, ConfigError> {
    let at = |span: Option<Range<usize>>, key: &str| {
        let location = Location::new(source.clone(), key);
        match span {
            Some(span) => {
                let (line, column) = line_col(text, span.start);
                location.with_line_col(line, column)
            }
            None => location,
        }
    };
    let document = DeTable::parse(text).map_err(|error| ConfigError::Parse {
        at: at(error.span(), "").into(),
        message: error.message().trim().to_owned(),
    })?;

    let mut spans = Vec::new();
    let mut unknown = Vec::new();
    walk_table(document.get_ref(), "", &mut spans, &mut |key, span| {
        unknown.push((key.to_owned(), span));
    });
    let positions = || -> HashMap<String, (usize, usize)> {
        spans
            .iter()
            .map(|(key, span)| (key.clone(), line_col(text, span.start)))
            .collect()
    };
    if !unknown.is_empty() {
        let mut errors: Vec<ConfigError> = unknown
            .iter()
            .map(|(key, span)| unknown_key(key, at(Some(span.clone()), key)))
            .collect();
        // Report the other problems of the file in the same run: without the unknown keys.
        errors.extend(problems_without(
            text,
            &unknown,
            Origin::with_positions(source.clone(), positions()),
        ));
        if let Some(error) = ConfigError::from_list(errors) {
            return Err(error);
        }
    }

    let mut settings: Settings = toml::from_str(text).map_err(|error| {
        let span = error.span();
        // The innermost key whose value holds the error's position.
        let key = span
            .as_ref()
            .and_then(|span| {
                spans
                    .iter()
                    .filter(|(_, value)| value.start <= span.start && span.end <= value.end)
                    .min_by_key(|(_, value)| value.len())
            })
            .map(|(key, _)| key.as_str())
            .unwrap_or_default();
        ConfigError::Parse {
            at: at(span, key).into(),
            message: error.message().trim().to_owned(),
        }
    })?;
    settings.origin = Origin::with_positions(source.clone(), positions());
    Ok(settings)
}

/// The validation problems of the settings once the unknown keys are taken out (none if what
/// remains does not even deserialize: the unknown keys are then the news).
fn problems_without(
    text: &str,
    unknown: &[(String, Range<usize>)],
    origin: Origin,
) -> Vec<ConfigError> {
    let Ok(mut table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    // Known tables are top-level sections, so an unknown key is `key` or `section.key`.
    for (path, _) in unknown {
        match path.split_once('.') {
            None => {
                table.remove(path);
            }
            Some((section, key)) => {
                if let Some(toml::Value::Table(inner)) = table.get_mut(section) {
                    inner.remove(key);
                }
            }
        }
    }
    match toml::Value::Table(table).try_into::<Settings>() {
        Ok(mut settings) => {
            settings.origin = origin;
            let problems = settings.validate().err().map(ConfigError::into_problems);
            // "Nothing allowed" here is most likely the misspelled list itself.
            problems
                .unwrap_or_default()
                .into_iter()
                .filter(|problem| !matches!(problem, ConfigError::NothingAllowed { .. }))
                .collect()
        }
        Err(_) => Vec::new(),
    }
}

/// Record the span of every key and list entry; report keys not in [`KNOWN_KEYS`].
fn walk_table(
    table: &DeTable<'_>,
    prefix: &str,
    spans: &mut Vec<(String, Range<usize>)>,
    unknown: &mut dyn FnMut(&str, Range<usize>),
) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        if !KNOWN_KEYS.contains(&path.as_str()) {
            unknown(&path, key.span());
            continue;
        }
        walk_value(value, &path, spans, unknown);
    }
}

fn walk_value(
    value: &Spanned<DeValue<'_>>,
    path: &str,
    spans: &mut Vec<(String, Range<usize>)>,
    unknown: &mut dyn FnMut(&str, Range<usize>),
) {
    spans.push((path.to_owned(), value.span()));
    match value.get_ref() {
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk_value(item, &format!("{path}[{index}]"), spans, unknown);
            }
        }
        DeValue::Table(table) => walk_table(table, path, spans, unknown),
        _ => {}
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
    }
}
