"""ONVIF Device service (ver10 device/wsdl): identity, capabilities, services, clock, scopes, network."""

from __future__ import annotations

import datetime as dt

from camdesk.sim.onvif import identity
from camdesk.sim.onvif.context import Call
from camdesk.sim.onvif.soap import NS, SoapFault, action_not_supported, x

PUBLIC_OPERATIONS = frozenset({"GetSystemDateAndTime"})  # answered without credentials, per ONVIF Core 5.9


def handle(call: Call) -> str:
    op = call.request.name
    spec = call.cam.spec
    if op == "GetDeviceInformation":
        return (
            f"<tds:GetDeviceInformationResponse><tds:Manufacturer>{x(spec.manufacturer)}</tds:Manufacturer>"
            f"<tds:Model>{x(spec.model)}</tds:Model><tds:FirmwareVersion>{identity.FIRMWARE_VERSION}"
            f"</tds:FirmwareVersion><tds:SerialNumber>{identity.serial_number(spec)}</tds:SerialNumber>"
            f"<tds:HardwareId>{x(spec.model)}-{spec.index}</tds:HardwareId></tds:GetDeviceInformationResponse>"
        )
    if op == "GetCapabilities":
        return _capabilities(call)
    if op == "GetServices":
        return _services(call)
    if op == "GetSystemDateAndTime":
        return _date_and_time(call.cam.faults.camera_time())
    if op == "GetScopes":
        items = "".join(
            f"<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>{x(s)}</tt:ScopeItem></tds:Scopes>"
            for s in identity.scopes(spec)
        )
        return f"<tds:GetScopesResponse>{items}</tds:GetScopesResponse>"
    if op == "GetNetworkInterfaces":
        return _network_interfaces(call)
    if op == "GetHostname":
        return (
            "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP>"
            f"<tt:Name>{x(_hostname(call))}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>"
        )
    raise action_not_supported(op)


def _hostname(call: Call) -> str:
    """``camdesk-sim-cam0`` ... or ``camdesk-sim-nvr``: the last segment of the device's base path."""
    return f"camdesk-sim-{call.base_url.rsplit('/', 1)[1]}"


def _version(major: int, minor: int) -> str:
    return f"<tt:Major>{major}</tt:Major><tt:Minor>{minor}</tt:Minor>"


def _want(categories: set[str], name: str) -> bool:
    return "All" in categories or name in categories


def _capabilities(call: Call) -> str:
    categories = {
        (c.text or "").strip() for c in call.request.operation if isinstance(c.tag, str)
    } or {"All"}
    if not call.cam.spec.ptz and categories == {"PTZ"}:
        raise SoapFault("Receiver", ("ter:ActionNotSupported", "ter:NoSuchService"), "PTZ is not supported", 500)
    parts = []
    if _want(categories, "Device"):
        parts.append(
            f"<tt:Device><tt:XAddr>{x(call.service_url('device'))}</tt:XAddr>"
            "<tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration>"
            "<tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>"
            "<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye>"
            "<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>"
            "<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>"
            f"<tt:SupportedVersions>{_version(2, 60)}</tt:SupportedVersions></tt:System>"
            "<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2>"
            "<tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration>"
            "<tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token>"
            "<tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken>"
            "<tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>"
        )
    if _want(categories, "Events") and not call.recorder:  # the virtual recorder has no events service
        parts.append(
            f"<tt:Events><tt:XAddr>{x(call.service_url('events'))}</tt:XAddr>"
            "<tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>"
            "<tt:WSPullPointSupport>true</tt:WSPullPointSupport>"
            "<tt:WSPausableSubscriptionManagerInterfaceSupport>false"
            "</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>"
        )
    if _want(categories, "Media"):
        parts.append(
            f"<tt:Media><tt:XAddr>{x(call.service_url('media'))}</tt:XAddr>"
            "<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
            "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>"
        )
    if _want(categories, "PTZ") and call.cam.spec.ptz:
        parts.append(f"<tt:PTZ><tt:XAddr>{x(call.service_url('ptz'))}</tt:XAddr></tt:PTZ>")
    return (
        f"<tds:GetCapabilitiesResponse><tds:Capabilities>{''.join(parts)}</tds:Capabilities>"
        "</tds:GetCapabilitiesResponse>"
    )


def _services(call: Call) -> str:
    entries = [
        (NS["tds"], "device", 2, 60),
        (NS["trt"], "media", 2, 60),
        (NS["tr2"], "media2", 2, 60),
    ]
    if not call.recorder:  # the virtual recorder has no events service
        entries.append((NS["tev"], "events", 2, 60))
    if call.cam.spec.ptz:
        entries.append((NS["tptz"], "ptz", 2, 60))
    services = "".join(
        f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{x(call.service_url(name))}</tds:XAddr>"
        f"<tds:Version>{_version(major, minor)}</tds:Version></tds:Service>"
        for ns, name, major, minor in entries
    )
    return f"<tds:GetServicesResponse>{services}</tds:GetServicesResponse>"


def _datetime(moment: dt.datetime) -> str:
    return (
        f"<tt:Time><tt:Hour>{moment.hour}</tt:Hour><tt:Minute>{moment.minute}</tt:Minute>"
        f"<tt:Second>{moment.second}</tt:Second></tt:Time><tt:Date><tt:Year>{moment.year}</tt:Year>"
        f"<tt:Month>{moment.month}</tt:Month><tt:Day>{moment.day}</tt:Day></tt:Date>"
    )


def _date_and_time(camera_time: float) -> str:
    """The camera's clock (wall clock plus its offset) in UTC; the local zone is the ward's (UTC+7)."""
    utc = dt.datetime.fromtimestamp(camera_time, dt.UTC)
    local = utc + dt.timedelta(hours=7)
    return (
        "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
        "<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
        "<tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone>"
        f"<tt:UTCDateTime>{_datetime(utc)}</tt:UTCDateTime><tt:LocalDateTime>{_datetime(local)}</tt:LocalDateTime>"
        "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
    )


def _network_interfaces(call: Call) -> str:
    spec = call.cam.spec
    host = call.base_url.split("//", 1)[1].rsplit(":", 1)[0].strip("[]")
    return (
        '<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0">'
        "<tt:Enabled>true</tt:Enabled><tt:Info><tt:Name>eth0</tt:Name>"
        f"<tt:HwAddress>{identity.mac_address(spec)}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>"
        "<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config>"
        f"<tt:Manual><tt:Address>{x(host)}</tt:Address><tt:PrefixLength>8</tt:PrefixLength></tt:Manual>"
        "<tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4></tds:NetworkInterfaces>"
        "</tds:GetNetworkInterfacesResponse>"
    )

