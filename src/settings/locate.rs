//! Where settings came from, so that a problem found after parsing (a bad net, say) can still
//! name the line and column of its entry.

use std::collections::HashMap;

use super::KNOWN_KEYS;
use crate::error::{ConfigError, Location, Source};

/// The source of a `Settings` value and the position of each key and list entry in it.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) source: Source,
    /// Key path (`allowed_hosts[2]`) → 1-based line and column.
    positions: HashMap<String, (usize, usize)>,
    /// Lists replaced from elsewhere (an environment variable): key → that source.
    overrides: HashMap<String, Source>,
}

impl Default for Origin {
    fn default() -> Self {
        Self::new(Source::Code)
    }
}

/// Where settings came from is not part of their value.
impl PartialEq for Origin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Origin {}

impl Origin {
    pub(crate) fn new(source: Source) -> Self {
        Self {
            source,
            positions: HashMap::new(),
            overrides: HashMap::new(),
        }
    }

    pub(crate) fn with_positions(
        source: Source,
        positions: HashMap<String, (usize, usize)>,
    ) -> Self {
        Self {
            positions,
            ..Self::new(source)
        }
    }

    /// Record that the list under `key` now comes from `source`.
    pub(crate) fn set_override(&mut self, key: &str, source: Source) {
        self.overrides.insert(key.to_owned(), source);
    }

    /// Fill in the source, line and column of every problem in `error`.
    pub(crate) fn locate(&self, error: ConfigError) -> ConfigError {
        match error {
            ConfigError::Multiple(all) => {
                ConfigError::Multiple(all.into_iter().map(|e| self.locate(e)).collect())
            }
            mut single => {
                if let Some(at) = single.location_mut() {
                    self.fill(at);
                }
                single
            }
        }
    }

    fn fill(&self, at: &mut Location) {
        let list = at.key.split('[').next().unwrap_or_default();
        if let Some(source) = self.overrides.get(list) {
            at.source = source.clone();
            at.line_col = None;
            return;
        }
        at.source = self.source.clone();
        if at.line_col.is_none() {
            at.line_col = self.positions.get(&at.key).copied();
        }
    }

    /// Locate a list of problems and turn them into one result.
    pub(crate) fn result(&self, errors: Vec<ConfigError>) -> Result<(), ConfigError> {
        match ConfigError::from_list(errors) {
            None => Ok(()),
            Some(error) => Err(self.locate(error)),
        }
    }
}

/// An unknown-key error, with the nearest known key among its siblings as the suggestion.
pub(crate) fn unknown_key(full_key: &str, at: Location) -> ConfigError {
    let (parent, leaf) = match full_key.rsplit_once('.') {
        Some((parent, leaf)) => (Some(parent), leaf),
        None => (None, full_key),
    };
    let siblings = KNOWN_KEYS
        .iter()
        .filter_map(|known| match (parent, known.rsplit_once('.')) {
            (None, None) => Some(*known),
            (Some(p), Some((kp, leaf))) if p == kp => Some(leaf),
            _ => None,
        });
    ConfigError::UnknownKey {
        at: at.into(),
        key: full_key.to_owned(),
        suggestion: nearest(leaf, siblings).map(|leaf| match parent {
            Some(parent) => format!("{parent}.{leaf}"),
            None => leaf.to_owned(),
        }),
    }
}

/// Turn serde's ``unknown field `x`, expected ...`` message into an [`ConfigError::UnknownKey`].
#[cfg_attr(not(feature = "json"), allow(dead_code))]
pub(crate) fn unknown_key_error(message: &str, at: Location) -> Option<ConfigError> {
    let rest = message.strip_prefix("unknown field `")?;
    let key = &rest[..rest.find('`')?];
    Some(unknown_key(key, at))
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.len() / 3).max(2);
    candidates
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_known_key() {
        let at = Location::new(Source::Text, "allowed_host");
        match unknown_key("allowed_host", at) {
            ConfigError::UnknownKey { suggestion, .. } => {
                assert_eq!(suggestion.as_deref(), Some("allowed_hosts"));
            }
            other => panic!("{other}"),
        }
        assert_eq!(nearest("zzzzzz", KNOWN_KEYS.iter().copied()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
