//! imbotd's own methods (`imbotd.*`), beyond Bitrix24's API: the delivery log for bot developers.

pub mod delivery;
