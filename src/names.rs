//! The name matcher: exact names and `.example.com` subtrees in one hash map, looked up without
//! allocating. A lookup costs one hash probe per label of the host, whatever the list's size.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::host::MAX_NAME_LEN;

/// What a map key allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct NameRule {
    /// The name itself is listed (`example.com`).
    pub(crate) exact: bool,
    /// The name and every subdomain are listed (`.example.com`).
    pub(crate) subtree: bool,
}

/// Which rule a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameMatch {
    /// The name is listed exactly.
    Exact,
    /// The name is at or under the listed subtree that starts at this byte offset of the name.
    Subtree(usize),
}

/// Exact names and subtrees, lower-cased, keyed by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameSet {
    rules: HashMap<Box<str>, NameRule, BuildHasherDefault<FxHasher>>,
    /// Shortest and longest subtree key: parents outside this range need no probe.
    subtree_lengths: Option<(usize, usize)>,
}

impl NameSet {
    pub(crate) fn insert_exact(&mut self, name: &str) {
        self.rules.entry(name.into()).or_default().exact = true;
    }

    pub(crate) fn insert_subtree(&mut self, name: &str) {
        self.rules.entry(name.into()).or_default().subtree = true;
        let (shortest, longest) = self.subtree_lengths.unwrap_or((name.len(), name.len()));
        self.subtree_lengths = Some((shortest.min(name.len()), longest.max(name.len())));
    }

    /// Look `name` up (any case, no trailing dot, at most 253 bytes as the parser guarantees).
    pub(crate) fn lookup(&self, name: &str) -> Option<NameMatch> {
        if self.rules.is_empty() || name.len() > MAX_NAME_LEN {
            return None;
        }
        // The map holds lower-cased keys; lower-case into a stack buffer only when needed.
        let mut buffer = [0u8; MAX_NAME_LEN];
        let lowered = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            let lowered = &mut buffer[..name.len()];
            lowered.copy_from_slice(name.as_bytes());
            lowered.make_ascii_lowercase();
            std::str::from_utf8(lowered).ok()?
        } else {
            name
        };

        if let Some(rule) = self.rules.get(lowered) {
            if rule.exact {
                return Some(NameMatch::Exact);
            }
            if rule.subtree {
                return Some(NameMatch::Subtree(0));
            }
        }
        // Walk the label boundaries, nearest parent first: `a.b.example.com` tries
        // `b.example.com`, then `example.com`, then `com`.
        let (shortest, longest) = self.subtree_lengths?;
        for (dot, _) in lowered.match_indices('.') {
            let parent = &lowered[dot + 1..];
            if parent.len() < shortest {
                break;
            }
            if parent.len() <= longest && self.rules.get(parent).is_some_and(|rule| rule.subtree) {
                return Some(NameMatch::Subtree(dot + 1));
            }
        }
        None
    }
}

/// A small, fast, non-cryptographic hasher (the FxHash mixing step, word at a time).
///
/// Hash flooding is not a concern here: the keys are the operator's configuration, fixed at
/// start-up; a request only probes, so it cannot lengthen any probe sequence.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> NameSet {
        let mut set = NameSet::default();
        set.insert_exact("www.example.com");
        set.insert_subtree("lebowski.biz");
        set.insert_subtree("sub.example.com");
        set
    }

    #[test]
    fn exact_names_any_case() {
        let set = set();
        assert_eq!(set.lookup("www.example.com"), Some(NameMatch::Exact));
        assert_eq!(set.lookup("WWW.Example.COM"), Some(NameMatch::Exact));
        assert_eq!(set.lookup("example.com"), None);
        assert_eq!(set.lookup("xwww.example.com"), None);
    }

    #[test]
    fn subtrees_cover_apex_and_every_depth() {
        let set = set();
        assert_eq!(set.lookup("lebowski.biz"), Some(NameMatch::Subtree(0)));
        assert_eq!(
            set.lookup("thebig.lebowski.biz"),
            Some(NameMatch::Subtree(7))
        );
        assert_eq!(
            set.lookup("a.b.c.LEBOWSKI.biz"),
            Some(NameMatch::Subtree(6))
        );
        assert_eq!(set.lookup("notlebowski.biz"), None);
        assert_eq!(set.lookup("sub-example.com"), None);
        assert_eq!(set.lookup("lebowski.biz.evil"), None);
        assert_eq!(set.lookup("biz"), None);
    }

    #[test]
    fn hasher_separates_lengths_and_contents() {
        let hash = |bytes: &[u8]| {
            let mut h = FxHasher::default();
            h.write(bytes);
            h.finish()
        };
        assert_ne!(hash(b"a"), hash(b"a\0"));
        assert_ne!(hash(b"abcdefgh"), hash(b"abcdefgi"));
        assert_eq!(hash(b"example.com"), hash(b"example.com"));
    }
}
