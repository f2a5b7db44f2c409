//! Demo bots, reusable as libraries (feature `axum`).
//!
//! [`echo`] is the bot of `examples/echo_bot.rs` and of the tutorial: it answers `/echo X` with `X`, an ATTACH and
//! a "Repeat" button. It keeps no process-global state, so a server can start it on a listener of its own as a
//! built-in demo bot, and stop it again.

pub mod echo;
