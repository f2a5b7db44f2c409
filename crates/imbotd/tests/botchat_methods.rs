//! placeholder
mod bot_util;
mod common;
