//! Page views: template structs and how they are built from what the use cases return. No
//! request handling and no storage here.

pub mod account;
pub mod admin;
pub mod assessment;
pub mod company;
pub mod crosstab;
pub mod error;
pub mod evidence;
pub mod glossary;
pub mod home;
pub mod import;
pub mod interviews;
pub mod plan;
pub mod plant;
pub mod report_plant;
pub mod respond;
pub mod results;
pub mod risk;
pub mod rounds;
pub mod survey_form;
pub mod survey_report;
pub mod vuln;
