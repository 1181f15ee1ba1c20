//! Accord vocabulary.
