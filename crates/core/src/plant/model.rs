//! A site's plant model, the guideline's step 1: the business processes (業務) and the damage
//! that matters if they stop or are tampered with, the zones the plant is divided into, the
//! conduits between zones, the assets in them, and the data flows between assets.

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::date::Date;
use crate::ids::{AssetId, ConduitId, FlowId, ProcessId, ZoneId};

codes!(
    /// How much a business process matters (the guideline's three levels).
    Importance {
        /// Damage stays within the site and is recovered quickly.
        Low = "1",
        /// Production, quality or delivery suffer noticeably.
        Medium = "2",
        /// People's safety, a long production stop, or damage beyond the company.
        High = "3",
    }
);

impl Importance {
    /// 1, 2 or 3.
    pub fn value(self) -> u8 {
        match self {
            Importance::Low => 1,
            Importance::Medium => 2,
            Importance::High => 3,
        }
    }

    pub fn from_value(v: u8) -> Option<Importance> {
        match v {
            1 => Some(Importance::Low),
            2 => Some(Importance::Medium),
            3 => Some(Importance::High),
            _ => None,
        }
    }
}

codes!(
    /// The kinds of damage the guideline weighs (SQDC, safety and information).
    Damage {
        Safety = "safety",
        ProductionStop = "production",
        Quality = "quality",
        Delivery = "delivery",
        InformationLeak = "information",
    }
);

codes!(
    /// What a zone is for.
    ZonePurpose {
        /// PLCs, DCS controllers, robots: the process itself.
        Control = "control",
        /// HMIs, SCADA, historians watching the process.
        Supervisory = "supervisory",
        /// Production management: MES, recipes, scheduling.
        Operations = "operations",
        /// The office / business network.
        Information = "information",
        /// A buffer between office and plant networks.
        Dmz = "dmz",
        /// Maintenance and engineering access.
        Maintenance = "maintenance",
        /// Safety instrumented systems.
        Safety = "safety",
        /// Outside the company: vendors, cloud services, the internet.
        External = "external",
    }
);

codes!(
    /// Who is on the other side of a zone, if not the company itself.
    Exposure {
        Internal = "internal",
        Vendor = "vendor",
        Cloud = "cloud",
        Internet = "internet",
    }
);

codes!(
    /// How two zones are connected.
    ConduitKind {
        Firewall = "firewall",
        DataDiode = "data_diode",
        Vpn = "vpn",
        /// A plain network link: a cable, a switch, a router without filtering.
        Direct = "direct",
        RemoteMaintenance = "remote_maintenance",
        RemovableMedia = "removable_media",
        /// People carrying data by hand (paper, re-typing).
        Manual = "manual",
        Wireless = "wireless",
    }
);

impl ConduitKind {
    /// Traffic is filtered by a device on the link.
    pub fn filters(self) -> bool {
        matches!(self, ConduitKind::Firewall | ConduitKind::DataDiode)
    }

    /// A network link (as opposed to media or people carrying data).
    pub fn is_network(self) -> bool {
        !matches!(self, ConduitKind::RemovableMedia | ConduitKind::Manual)
    }
}

codes!(
    /// Which way data may go through a conduit.
    Direction {
        Both = "both",
        /// From the conduit's `a` zone to its `b` zone only.
        AToB = "a_to_b",
        /// From `b` to `a` only.
        BToA = "b_to_a",
    }
);

codes!(
    /// What an asset is.
    AssetKind {
        Plc = "plc",
        Dcs = "dcs",
        Hmi = "hmi",
        /// Engineering workstation.
        Ews = "ews",
        ScadaServer = "scada",
        Historian = "historian",
        Mes = "mes",
        Server = "server",
        Workstation = "workstation",
        NetworkDevice = "network",
        Firewall = "firewall",
        WirelessAp = "wireless_ap",
        /// A vendor's or maintenance contractor's PC brought on site.
        VendorPc = "vendor_pc",
        /// The site's own maintenance PC.
        MaintenancePc = "maintenance_pc",
        IotSensor = "iot_sensor",
        IotGateway = "iot_gateway",
        CloudService = "cloud_service",
        RemovableMedia = "removable_media",
        /// Multifunction printer.
        Printer = "printer",
        /// Safety controller / SIS.
        SafetyController = "safety_controller",
        Robot = "robot",
        /// CNC machine, inspection machine and other production equipment.
        Machine = "machine",
        Other = "other",
    }
);

impl AssetKind {
    /// Equipment that runs or watches the physical process (the control side).
    pub fn is_control(self) -> bool {
        use AssetKind::*;
        matches!(
            self,
            Plc | Dcs | Hmi | Ews | ScadaServer | Historian | SafetyController | Robot | Machine
        )
    }

    /// Office / business equipment.
    pub fn is_business(self) -> bool {
        matches!(
            self,
            AssetKind::Workstation | AssetKind::Printer | AssetKind::Server
        )
    }

    /// Carried between places by people (it crosses zones by nature).
    pub fn is_portable(self) -> bool {
        matches!(
            self,
            AssetKind::VendorPc | AssetKind::MaintenancePc | AssetKind::RemovableMedia
        )
    }

    /// Runs firmware or software whose version matters for vulnerabilities.
    pub fn has_firmware(self) -> bool {
        !matches!(self, AssetKind::CloudService | AssetKind::Other)
    }
}

codes!(
    /// Where an asset stands in its life.
    AssetStatus {
        Active = "active",
        Spare = "spare",
        Retired = "retired",
    }
);

/// A business process (業務) and what its loss would mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Process {
    pub id: ProcessId,
    pub name: String,
    pub importance: Importance,
    /// The kinds of damage that matter if it stops or is tampered with.
    pub damages: Vec<Damage>,
    /// The business damage (事業被害) in the site's own words.
    pub impact: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub id: ZoneId,
    pub name: String,
    pub purpose: ZonePurpose,
    pub exposure: Exposure,
    /// Set by hand; otherwise derived from the zone's processes and assets.
    pub importance: Option<Importance>,
    /// Target security level SL-T (IEC 62443-3-2), 1–4.
    pub sl_target: u8,
    pub processes: Vec<ProcessId>,
}

impl Zone {
    /// The other side is not the company (vendor, cloud, internet).
    pub fn untrusted(&self) -> bool {
        self.exposure != Exposure::Internal
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conduit {
    pub id: ConduitId,
    pub name: String,
    pub a: ZoneId,
    pub b: ZoneId,
    pub kind: ConduitKind,
    pub direction: Direction,
    pub protocols: Vec<String>,
    /// Traffic is encrypted end to end (VPN, TLS).
    pub encrypted: bool,
    /// Connected all the time (a remote-maintenance line should be connected only on request).
    pub always_on: bool,
    /// Who operates it (the company, a vendor, an IT contractor).
    pub operator: String,
}

impl Conduit {
    /// Data (and an attacker) can go from `from` to the other end.
    pub fn allows_from(&self, from: ZoneId) -> bool {
        match self.direction {
            Direction::Both => from == self.a || from == self.b,
            Direction::AToB => from == self.a,
            Direction::BToA => from == self.b,
        }
    }

    /// The zone at the other end from `zone`.
    pub fn other_end(&self, zone: ZoneId) -> ZoneId {
        if zone == self.a { self.b } else { self.a }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub id: AssetId,
    /// 資産管理番号: the site's own asset number, if it keeps one.
    pub tag: String,
    pub name: String,
    pub kind: AssetKind,
    /// The zone it sits in.
    pub zone: Option<ZoneId>,
    /// Other zones it is connected to (a second network card, a VLAN trunk).
    pub also_in: Vec<ZoneId>,
    pub vendor: String,
    /// Product or series.
    pub product: String,
    /// 形名 / 形式 / 型番.
    pub model: String,
    pub order_number: String,
    /// Firmware or software version.
    pub version: String,
    pub serial: String,
    pub os: String,
    pub os_support_end: Option<Date>,
    pub ip: String,
    pub mac: String,
    pub location: String,
    /// 管理責任者.
    pub owner: String,
    /// 保守期限: the end of the maintenance contract.
    pub maintenance_end: Option<Date>,
    pub status: AssetStatus,
    pub remote_maintenance: bool,
    /// Vendor-managed equipment the owner cannot patch.
    pub black_box: bool,
    pub cloud_link: bool,
    /// Connected only now and then (a laptop, a tester).
    pub temporary: bool,
    pub wireless: bool,
    /// Performs a safety function.
    pub safety: bool,
    /// The business processes that depend on it.
    pub processes: Vec<ProcessId>,
}

impl Asset {
    /// An active asset with nothing recorded but its id, name and kind.
    pub fn new(id: AssetId, name: impl Into<String>, kind: AssetKind) -> Asset {
        Asset {
            id,
            tag: String::new(),
            name: name.into(),
            kind,
            zone: None,
            also_in: vec![],
            vendor: String::new(),
            product: String::new(),
            model: String::new(),
            order_number: String::new(),
            version: String::new(),
            serial: String::new(),
            os: String::new(),
            os_support_end: None,
            ip: String::new(),
            mac: String::new(),
            location: String::new(),
            owner: String::new(),
            maintenance_end: None,
            status: AssetStatus::Active,
            remote_maintenance: false,
            black_box: false,
            cloud_link: false,
            temporary: false,
            wireless: false,
            safety: false,
            processes: vec![],
        }
    }

    /// Every zone the asset is connected to.
    pub fn zones(&self) -> impl Iterator<Item = ZoneId> + '_ {
        self.zone
            .iter()
            .copied()
            .chain(self.also_in.iter().copied())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub id: FlowId,
    pub from: AssetId,
    pub to: AssetId,
    /// What is carried (recipes, production results, programs, remote sessions).
    pub data: String,
    pub protocol: String,
    pub conduit: Option<ConduitId>,
}

/// One site's model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plant {
    pub processes: Vec<Process>,
    pub zones: Vec<Zone>,
    pub conduits: Vec<Conduit>,
    pub assets: Vec<Asset>,
    pub flows: Vec<Flow>,
}

impl Plant {
    pub fn zone(&self, id: ZoneId) -> Option<&Zone> {
        self.zones.iter().find(|z| z.id == id)
    }

    pub fn process(&self, id: ProcessId) -> Option<&Process> {
        self.processes.iter().find(|p| p.id == id)
    }

    pub fn asset(&self, id: AssetId) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id == id)
    }

    pub fn conduit(&self, id: ConduitId) -> Option<&Conduit> {
        self.conduits.iter().find(|c| c.id == id)
    }

    /// Assets in use (not retired).
    pub fn active_assets(&self) -> impl Iterator<Item = &Asset> {
        self.assets
            .iter()
            .filter(|a| a.status != AssetStatus::Retired)
    }
}
