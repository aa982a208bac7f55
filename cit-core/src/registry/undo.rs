//! Collections that remember how to undo what they changed since the last commit, so that
//! a refused event — or a refused batch of events — leaves the registry exactly as it was
//! without copying it (R-JOURNAL: all or none).
//!
//! Every aggregate of the registry keeps its state in these; [`State`](super::State)
//! commits them all once an event (or a whole batch) is accepted and rolls them all back
//! otherwise.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// The hasher of the registry's indexes: rustc's Fx hash (the `rustc-hash` crate), fast on
/// the short ids a journal holds and without random keys, so that the core reads no
/// randomness, keeps no global state and behaves the same on every machine and in the
/// browser. No index is ever iterated for output. Like any hash with keys known in
/// advance (std's SipHash with fixed keys included), it does not resist ids chosen to
/// collide: the ids come from the CIT's own journal, written by its officers and systems.
pub(crate) type Fixed = rustc_hash::FxBuildHasher;

/// A hash map with the registry's fixed hasher: for the indexes looked up by id, never
/// walked in order.
pub(crate) type Index<K, V> = HashMap<K, V, Fixed>;

/// A [`Keyed`] over an [`Index`]: looked up by key, never listed, undone as any other.
pub(crate) type Lookup<K, V> = Keyed<K, V, Index<K, V>>;

/// What [`Keyed`] needs of a map: an ordered `BTreeMap` for what is listed in order, an
/// [`Index`] for what is only looked up.
pub(crate) trait Map<K, V>: Default {
    fn find<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + Hash + Eq + ?Sized;
    fn put(&mut self, key: K, value: V) -> Option<V>;
    fn take(&mut self, key: &K) -> Option<V>;
}

impl<K: Ord, V> Map<K, V> for BTreeMap<K, V> {
    fn find<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + Hash + Eq + ?Sized,
    {
        self.get(key)
    }

    fn put(&mut self, key: K, value: V) -> Option<V> {
        self.insert(key, value)
    }

    fn take(&mut self, key: &K) -> Option<V> {
        self.remove(key)
    }
}

impl<K: Hash + Eq, V> Map<K, V> for Index<K, V> {
    fn find<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + Hash + Eq + ?Sized,
    {
        self.get(key)
    }

    fn put(&mut self, key: K, value: V) -> Option<V> {
        self.insert(key, value)
    }

    fn take(&mut self, key: &K) -> Option<V> {
        self.remove(key)
    }
}

/// A map whose every insert since the last [`Keyed::commit`] can be undone; ordered (a
/// `BTreeMap`, the default) or hashed (an [`Index`]).
#[derive(Clone, Debug)]
pub(crate) struct Keyed<K, V, M = BTreeMap<K, V>> {
    map: M,
    /// Each key changed since the last commit, with its value before (`None`: absent).
    undo: Vec<(K, Option<V>)>,
}

impl<K, V, M: Default> Default for Keyed<K, V, M> {
    fn default() -> Self {
        Keyed {
            map: M::default(),
            undo: Vec::new(),
        }
    }
}

/// Equal contents; what could be undone does not count (it is empty between events).
impl<K, V, M: PartialEq> PartialEq for Keyed<K, V, M> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<K, V, M: Eq> Eq for Keyed<K, V, M> {}

impl<K: Clone, V, M: Map<K, V>> Keyed<K, V, M> {
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + Hash + Eq + ?Sized,
    {
        self.map.find(key)
    }

    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + Hash + Eq + ?Sized,
    {
        self.map.find(key).is_some()
    }

    /// Sets `key` to `value`, remembering what it was.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        let before = self.map.put(key.clone(), value);
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
                    self.map.put(key, v);
                }
                None => {
                    self.map.take(&key);
                }
            }
        }
    }
}

impl<K: Ord, V> Keyed<K, V> {
    /// The values, in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.map.values()
    }

    /// The keys, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.map.keys()
    }
}

/// Entries with an id, in order of first record: an arena with an index from id to
/// position, so that a lookup by position (what the other indexes keep) costs nothing and
/// one by id a hash. Every change since the last [`Table::commit`] can be undone.
#[derive(Clone, Debug)]
pub(crate) struct Table<T> {
    items: Vec<T>,
    index: Index<String, usize>,
    /// Each position changed since the last commit, with its entry before (`None`: new,
    /// the last of `items`).
    undo: Vec<(usize, Option<T>)>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            items: Vec::new(),
            index: Index::default(),
            undo: Vec::new(),
        }
    }
}

/// Equal entries in the same order (the index follows from them).
impl<T: PartialEq> PartialEq for Table<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<T: Eq> Eq for Table<T> {}

impl<T> Table<T> {
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.position(id).map(|p| &self.items[p])
    }

    pub(crate) fn at(&self, position: usize) -> &T {
        &self.items[position]
    }

    /// Every entry, in order of first record.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// Every entry, by id.
    pub(crate) fn by_id(&self) -> Vec<&T> {
        let mut ids: Vec<(&String, usize)> = self.index.iter().map(|(id, &p)| (id, p)).collect();
        ids.sort_unstable();
        ids.into_iter().map(|(_, p)| &self.items[p]).collect()
    }

    /// Records `item` under `id`, replacing the entry of that id if there is one; its
    /// position.
    pub(crate) fn insert(&mut self, id: &str, item: T) -> usize {
        match self.index.get(id) {
            Some(&p) => {
                let before = std::mem::replace(&mut self.items[p], item);
                self.undo.push((p, Some(before)));
                p
            }
            None => {
                let p = self.items.len();
                self.items.push(item);
                self.index.insert(id.to_owned(), p);
                self.undo.push((p, None));
                p
            }
        }
    }

    pub(crate) fn commit(&mut self) {
        self.undo.clear();
    }

    /// Undoes every change since the last commit, newest first. `id` names an entry (for
    /// the new ones, whose index entry goes too).
    pub(crate) fn rollback(&mut self, id: impl Fn(&T) -> &str) {
        while let Some((p, before)) = self.undo.pop() {
            match before {
                Some(item) => self.items[p] = item,
                None => {
                    if let Some(item) = self.items.pop() {
                        self.index.remove(id(&item));
                    }
                }
            }
        }
    }
}

/// An entry of the registry that has an id and belongs to an ente: a membership, a
/// subscription.
pub(crate) trait OfEnte: Clone {
    /// What it is, for errors (`"membership"`).
    const ENTITY: &'static str;
    /// Its id.
    fn id(&self) -> &str;
    /// The ente it belongs to.
    fn ente(&self) -> &str;
}

/// The entries of the enti: a [`Table`] by id and, for each ente, the positions of its
/// entries in the order of their ids (what the billing run walks, without a look-up per
/// entry). Every change since the last [`ByEnte::commit`] can be undone.
#[derive(Clone, Debug)]
pub(crate) struct ByEnte<T> {
    table: Table<T>,
    by_ente: Lookup<String, Vec<usize>>,
}

impl<T> Default for ByEnte<T> {
    fn default() -> Self {
        ByEnte {
            table: Table::default(),
            by_ente: Keyed::default(),
        }
    }
}

impl<T: PartialEq> PartialEq for ByEnte<T> {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table
    }
}

impl<T: Eq> Eq for ByEnte<T> {}

impl<T: OfEnte> ByEnte<T> {
    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.table.get(id)
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.table.position(id).is_some()
    }

    /// A copy of the entry `id`, to change and insert again; [`Error::UnknownEntry`] if
    /// there is none.
    pub(crate) fn existing(&self, id: &str) -> crate::Result<T> {
        self.get(id)
            .cloned()
            .ok_or_else(|| super::unknown(T::ENTITY, id))
    }

    /// Every entry, by id.
    pub(crate) fn by_id(&self) -> Vec<&T> {
        self.table.by_id()
    }

    /// Every entry, in order of first record.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.table.iter()
    }

    /// The entries of `ente`, by id.
    pub(crate) fn of<'a>(&'a self, ente: &str) -> impl Iterator<Item = &'a T> {
        self.by_ente
            .get(ente)
            .into_iter()
            .flatten()
            .map(|&p| self.table.at(p))
    }

    /// Records `item`, replacing the entry of its id if there is one.
    pub(crate) fn insert(&mut self, item: T) {
        let new = !self.contains(item.id());
        let ente = item.ente().to_owned();
        let id = item.id().to_owned();
        let p = self.table.insert(&id, item);
        if new {
            let mut positions = self.by_ente.get(&ente).cloned().unwrap_or_default();
            let at = positions.partition_point(|&q| self.table.at(q).id() < id.as_str());
            positions.insert(at, p);
            self.by_ente.insert(ente, positions);
        }
    }

    pub(crate) fn commit(&mut self) {
        self.table.commit();
        self.by_ente.commit();
    }

    pub(crate) fn rollback(&mut self) {
        self.table.rollback(|e| e.id());
        self.by_ente.rollback();
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
    fn r_journal_an_index_rolls_back_as_an_ordered_map_does() {
        let mut k: Keyed<String, u32, Index<String, u32>> = Keyed::default();
        k.insert("a".into(), 1);
        k.commit();
        let before = k.clone();
        k.insert("b".into(), 2);
        k.insert("a".into(), 3);
        k.rollback();
        assert_eq!(k, before);
        assert_eq!((k.get("a"), k.get("b")), (Some(&1), None));
    }

    #[test]
    fn r_journal_a_table_rolls_back_replacements_and_new_entries() {
        let mut t: Table<(String, u32)> = Table::default();
        t.insert("b", ("b".into(), 1));
        t.commit();
        let before = t.clone();
        t.insert("a", ("a".into(), 2));
        t.insert("b", ("b".into(), 3));
        assert_eq!(t.by_id(), [&("a".to_owned(), 2), &("b".to_owned(), 3)]);
        t.rollback(|e| &e.0);
        assert_eq!(t, before);
        assert_eq!((t.get("a"), t.position("b")), (None, Some(0)));
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
