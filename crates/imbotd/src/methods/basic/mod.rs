//! Scope `basic`: methods every credential may call.

pub mod app_info;
pub mod batch;
pub mod method_get;
pub mod methods;
pub mod profile;
pub mod scope;
pub mod server_time;
