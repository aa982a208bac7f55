//! Collections that remember how to undo what they changed since the last commit, so that
//! a refused event — or a refused batch of events — leaves the registry exactly as it was
//! without copying it (R-JOURNAL: all or none).
//!
//! Every aggregate of the registry keeps its state in these; [`State`](super::State)
//! commits them all once an event (or a whole batch) is accepted and rolls them all back
//! otherwise.

use std::collections::BTreeMap;

/// A map whose every insert since the last [`Keyed::commit`] can be undone.
#[derive(Clone, Debug)]
pub(crate) struct Keyed<K, V> {
    map: BTreeMap<K, V>,
    /// Each key changed since the last commit, with its value before (`None`: absent).
    undo: Vec<(K, Option<V>)>,
}

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed {
            map: BTreeMap::new(),
            undo: Vec::new(),
        }
    }
}

/// Equal contents; what could be undone does not count (it is empty between events).
impl<K: PartialEq, V: PartialEq> PartialEq for Keyed<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<K: Eq, V: Eq> Eq for Keyed<K, V> {}

impl<K: Ord + Clone, V> Keyed<K, V> {
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get(key)
    }

    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.contains_key(key)
    }

    /// The values, in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.map.values()
    }

    /// The keys, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.map.keys()
    }

    /// Sets `key` to `value`, remembering what it was.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        let before = self.map.insert(key.clone(), value);
        self.undo.push((key, before));
    }

    /// Forgets how to undo: the changes are kept.
    pub(crate) fn commit(&mut self) {
        self.undo.clear();
    }

    /// Undoes every change since the last commit, newest first.
    pub(crate) fn rollback(&mut self) {
        while let Some((key, before)) = self.undo.pop() {
            match before {
                Some(v) => {
                    self.map.insert(key, v);
                }
                None => {
                    self.map.remove(&key);
                }
            }
        }
    }
}

/// A list that only grows; what was pushed since the last [`Log::commit`] can be undone.
#[derive(Clone, Debug)]
pub(crate) struct Log<T> {
    items: Vec<T>,
    committed: usize,
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log {
            items: Vec::new(),
            committed: 0,
        }
    }
}

impl<T: PartialEq> PartialEq for Log<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<T: Eq> Eq for Log<T> {}

impl<T> Log<T> {
    pub(crate) fn push(&mut self, item: T) {
        self.items.push(item);
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        &self.items
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.items.get(i)
    }

    pub(crate) fn commit(&mut self) {
        self.committed = self.items.len();
    }

    pub(crate) fn rollback(&mut self) {
        self.items.truncate(self.committed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_journal_keyed_rollback_restores_every_key_as_it_was() {
        let mut k: Keyed<String, u32> = Keyed::default();
        k.insert("a".into(), 1);
        k.commit();
        let before = k.clone();
        k.insert("a".into(), 2);
        k.insert("b".into(), 3);
        k.insert("a".into(), 4);
        assert_eq!(k.get("a"), Some(&4));
        k.rollback();
        assert_eq!(k, before);
        assert_eq!((k.get("a"), k.get("b")), (Some(&1), None));
    }

    #[test]
    fn r_journal_log_rollback_drops_only_what_was_not_committed() {
        let mut l: Log<u32> = Log::default();
        l.push(1);
        l.commit();
        l.push(2);
        l.push(3);
        l.rollback();
        assert_eq!(l.as_slice(), [1]);
    }
}
