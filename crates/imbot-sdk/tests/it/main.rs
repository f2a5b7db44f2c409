//! Integration tests of imbot-sdk against a real imbotd started in the test (port 0, temp data dir), in one
//! binary so imbotd is linked once.

mod batch_paging;
mod common;
mod docs;
mod echo;
mod limits;
mod methods;
mod more_methods;
mod oauth;
mod receiver;
mod v2;
mod v2_events;
