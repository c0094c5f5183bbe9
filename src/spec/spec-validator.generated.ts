// @ts-nocheck
// GENERATED from schemas/spec.schema.json by src/spec/generate-spec-validator.ts. Do not edit.
// Regenerate: npx tsc -p . && node dist/src/spec/generate-spec-validator.js
"use strict";
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://etcdplan.dev/schemas/spec.schema.json","title":"etcdplan migration spec","description":"An etcd membership migration: the cluster as it runs today (source) and the cluster you want (target). Check it with `etcdplan validate FILE`; plan it with `etcdplan plan FILE`.","type":"object","additionalProperties":false,"required":["apiVersion","kind","name","source","target"],"properties":{"apiVersion":{"description":"Version of this spec format. Always \"etcdplan/v1\".","const":"etcdplan/v1"},"kind":{"description":"What this file describes. Always \"Migration\".","const":"Migration"},"name":{"description":"Name of the migration: lowercase letters, digits and \"-\". Names the plan, the state and the lock, and the default snapshot directory (.etcdplan/<name>/snapshots).","type":"string","pattern":"^[a-z0-9-]+$","examples":["move-to-rack-b"]},"strategy":{"description":"How to move the data. join (default): add the target members to the running cluster, then remove the old ones; no downtime. snapshot: save a snapshot of the source and restore it into a new cluster; needs cluster.token and a target that shares no member, name or URL with the source.","enum":["join","snapshot"],"default":"join"},"cluster":{"description":"Settings shared by every member.","type":"object","additionalProperties":false,"properties":{"token":{"description":"etcd's initial-cluster-token. Required for strategy snapshot, where it becomes the new cluster's token.","type":"string","minLength":1,"examples":["prod-etcd"]},"tls":{"$ref":"#/definitions/tlsFiles","description":"TLS for client connections (how etcdplan and etcd clients reach members). When set, every clientURL must be https; when absent, every clientURL must be http. Paths to PEM files, never key material."},"peerTLS":{"$ref":"#/definitions/tlsFiles","description":"TLS between members, written into each member's config (peer-transport-security). When set, every peerURL must be https; when absent, every peerURL must be http. Paths to PEM files, never key material."}}},"source":{"description":"The cluster as it runs today.","type":"object","additionalProperties":false,"required":["members"],"properties":{"members":{"description":"Every member of the running cluster, as `etcdctl member list` shows it.","type":"array","minItems":1,"items":{"$ref":"#/definitions/member"}}}},"target":{"description":"The cluster you want. A member listed in both source and target (same name) is kept and must keep its URLs.","type":"object","additionalProperties":false,"required":["members"],"properties":{"members":{"description":"Every member the cluster should have at the end. Use an odd number (3 or 5) for fault tolerance.","type":"array","minItems":1,"items":{"$ref":"#/definitions/member"}}}},"join":{"description":"Options of strategy join.","type":"object","additionalProperties":false,"properties":{"learner":{"description":"Add each new member as a learner and promote it once it has caught up (default true). Safer: a learner does not count towards quorum while it syncs.","type":"boolean","default":true},"order":{"description":"add-first (default, the runbook's order): add every new member, switch DNS, then remove every old one. one-for-one: add one, remove one, so the cluster never grows past N+1.","enum":["add-first","one-for-one"],"default":"add-first"},"finalState":{"description":"What the new members' configs say at the end. existing (default, safer: a member whose data dir is lost rejoins instead of bootstrapping a cluster of its own) or new (the runbook's step 9).","enum":["existing","new"],"default":"existing"},"rollingRestart":{"description":"Restart each new member, one at a time, after its config is rewritten at the end (the runbook's step 10). Default true.","type":"boolean","default":true},"catchUpTolerance":{"description":"How many raft entries a member may lag behind the leader and still count as caught up. Default 100.","type":"integer","minimum":0,"default":100}}},"snapshot":{"description":"Options of strategy snapshot.","type":"object","additionalProperties":false,"properties":{"from":{"description":"The source member to save the snapshot from, or auto (default) for the leader at apply time.","type":"string","minLength":1,"default":"auto"},"dir":{"description":"Directory where the snapshot file is kept. Default .etcdplan/<name>/snapshots.","type":"string","minLength":1}}},"dns":{"description":"Optional: the DNS name clients use, and how to point it at the target members.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"The DNS name clients connect to.","type":"string","minLength":1,"examples":["etcd.example.internal"]},"switch":{"description":"How the name is switched to the target members. Default {via: manual}.","type":"object","additionalProperties":false,"required":["via"],"properties":{"via":{"description":"manual: the plan stops and asks you to switch the name. exec: run `command`. hosts-file: rewrite the name's entries in `file`. rfc2136: dynamic DNS update.","enum":["manual","exec","hosts-file","rfc2136"]},"command":{"description":"For via: exec. The command to run, as an argv list (no shell), e.g. [\"./switch-dns.sh\"]. The target client URLs are passed in its environment.","type":"array","items":{"type":"string","minLength":1}},"file":{"description":"For via: hosts-file. The hosts-format file (e.g. /etc/hosts) whose entries for the name are rewritten.","type":"string","minLength":1}}},"verify":{"description":"Resolve the name after the switch and require it to give the target members' client addresses. Default true.","type":"boolean","default":true}}},"nodes":{"description":"How etcdplan acts on a member's host: write its config, start, stop and restart it.","type":"object","additionalProperties":false,"properties":{"provider":{"description":"local (default): run etcd as processes on this machine. ssh: act on each member's host over ssh. exec: run your own commands. manual: the plan stops and tells you what to do.","enum":["local","ssh","exec","manual"],"default":"local"},"local":{"description":"Settings of provider local.","type":"object","additionalProperties":false,"properties":{"workDir":{"description":"Where data dirs, config files, logs and pids of the members it starts go. Default .etcdplan/local.","type":"string","minLength":1,"default":".etcdplan/local"},"etcd":{"description":"The etcd binary to run (a path, or a name looked up in PATH). Default etcd.","type":"string","minLength":1,"default":"etcd"}}}}},"timeouts":{"description":"How long etcdplan waits, as Go-style durations: \"90s\", \"10m\", \"1m30s\", \"500ms\", \"2h\".","type":"object","additionalProperties":false,"properties":{"catchUp":{"$ref":"#/definitions/duration","description":"How long a new member may take to catch up with the leader. Default 10m.","default":"10m"},"health":{"$ref":"#/definitions/duration","description":"How long the cluster may take to report healthy before and after each step. Default 60s.","default":"60s"},"step":{"$ref":"#/definitions/duration","description":"How long one step (add, promote, remove, restart...) may take. Default 2m.","default":"2m"}}}},"definitions":{"member":{"description":"One etcd member.","type":"object","additionalProperties":false,"required":["name","peerURL","clientURL"],"properties":{"name":{"description":"The member's etcd name (its --name). Letters, digits, \".\", \"_\" and \"-\"; also used in its default data dir and config file paths.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","examples":["etcd1"]},"peerURL":{"$ref":"#/definitions/url","description":"The URL other members reach this member on (its advertised peer URL), e.g. http://10.0.1.1:2380."},"clientURL":{"$ref":"#/definitions/url","description":"The URL clients reach this member on (its advertised client URL), e.g. http://10.0.1.1:2379."},"host":{"description":"Where the node provider acts (ssh host, for example). Default: the peerURL's host.","type":"string","minLength":1},"dataDir":{"description":"The member's data directory. Default: <workDir>/<name>/data with provider local, /var/lib/etcd/<name> otherwise.","type":"string","minLength":1},"configFile":{"description":"The member's etcd --config-file. Default: <workDir>/<name>/etcd.yaml with provider local, /etc/etcd/<name>.yaml otherwise.","type":"string","minLength":1},"config":{"description":"Extra etcd config-file keys for this member, passed through verbatim (e.g. quota-backend-bytes). etcdplan writes name, data-dir, initial-* and advertise-client-urls itself; listen-peer-urls and listen-client-urls may be overridden here.","type":"object","additionalProperties":true,"properties":{"listen-peer-urls":{"description":"URLs to listen on for peers, e.g. http://0.0.0.0:2380. Default: the member's peerURL.","type":"string"},"listen-client-urls":{"description":"URLs to listen on for clients, e.g. http://0.0.0.0:2379,http://127.0.0.1:2379. Default: the member's clientURL.","type":"string"},"quota-backend-bytes":{"description":"Backend size limit in bytes, e.g. 8589934592 (8 GiB).","type":"integer"}}}}},"url":{"description":"An http:// or https:// URL with a host and a port and nothing after it, e.g. http://10.0.1.1:2380.","type":"string","format":"uri","pattern":"^https?://[^/?#]+:[0-9]+$"},"duration":{"description":"A Go-style duration: a number and a unit (h, m, s, ms, us, ns), repeated, e.g. \"90s\", \"1m30s\".","type":"string","pattern":"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$","examples":["10m","60s","1m30s"]},"tlsFiles":{"description":"Paths to PEM files (never the key material itself). cert and key go together.","type":"object","additionalProperties":false,"properties":{"ca":{"description":"CA certificate(s) that members' certificates are checked against.","type":"string","minLength":1},"cert":{"description":"Certificate presented by etcdplan / the member. Needs key.","type":"string","minLength":1},"key":{"description":"Private key of cert. Needs cert.","type":"string","minLength":1}}}}};
const schema12 = {"description":"Paths to PEM files (never the key material itself). cert and key go together.","type":"object","additionalProperties":false,"properties":{"ca":{"description":"CA certificate(s) that members' certificates are checked against.","type":"string","minLength":1},"cert":{"description":"Certificate presented by etcdplan / the member. Needs key.","type":"string","minLength":1},"key":{"description":"Private key of cert. Needs cert.","type":"string","minLength":1}}};
const schema17 = {"description":"A Go-style duration: a number and a unit (h, m, s, ms, us, ns), repeated, e.g. \"90s\", \"1m30s\".","type":"string","pattern":"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$","examples":["10m","60s","1m30s"]};
const func2 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^[a-z0-9-]+$", "u");
const pattern4 = new RegExp("^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$", "u");
const schema14 = {"description":"One etcd member.","type":"object","additionalProperties":false,"required":["name","peerURL","clientURL"],"properties":{"name":{"description":"The member's etcd name (its --name). Letters, digits, \".\", \"_\" and \"-\"; also used in its default data dir and config file paths.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","examples":["etcd1"]},"peerURL":{"$ref":"#/definitions/url","description":"The URL other members reach this member on (its advertised peer URL), e.g. http://10.0.1.1:2380."},"clientURL":{"$ref":"#/definitions/url","description":"The URL clients reach this member on (its advertised client URL), e.g. http://10.0.1.1:2379."},"host":{"description":"Where the node provider acts (ssh host, for example). Default: the peerURL's host.","type":"string","minLength":1},"dataDir":{"description":"The member's data directory. Default: <workDir>/<name>/data with provider local, /var/lib/etcd/<name> otherwise.","type":"string","minLength":1},"configFile":{"description":"The member's etcd --config-file. Default: <workDir>/<name>/etcd.yaml with provider local, /etc/etcd/<name>.yaml otherwise.","type":"string","minLength":1},"config":{"description":"Extra etcd config-file keys for this member, passed through verbatim (e.g. quota-backend-bytes). etcdplan writes name, data-dir, initial-* and advertise-client-urls itself; listen-peer-urls and listen-client-urls may be overridden here.","type":"object","additionalProperties":true,"properties":{"listen-peer-urls":{"description":"URLs to listen on for peers, e.g. http://0.0.0.0:2380. Default: the member's peerURL.","type":"string"},"listen-client-urls":{"description":"URLs to listen on for clients, e.g. http://0.0.0.0:2379,http://127.0.0.1:2379. Default: the member's clientURL.","type":"string"},"quota-backend-bytes":{"description":"Backend size limit in bytes, e.g. 8589934592 (8 GiB).","type":"integer"}}}}};
const schema15 = {"description":"An http:// or https:// URL with a host and a port and nothing after it, e.g. http://10.0.1.1:2380.","type":"string","format":"uri","pattern":"^https?://[^/?#]+:[0-9]+$"};
const pattern1 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$", "u");
const pattern2 = new RegExp("^https?://[^/?#]+:[0-9]+$", "u");

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema14.required,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.peerURL === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "peerURL"},message:"must have required property '"+"peerURL"+"'",schema:schema14.required,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.clientURL === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "clientURL"},message:"must have required property '"+"clientURL"+"'",schema:schema14.required,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!(((((((key0 === "name") || (key0 === "peerURL")) || (key0 === "clientURL")) || (key0 === "host")) || (key0 === "dataDir")) || (key0 === "configFile")) || (key0 === "config"))){
const err3 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 === "string"){
if(!pattern1.test(data0)){
const err4 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]*$",parentSchema:schema14.properties.name,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.name.type,parentSchema:schema14.properties.name,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.peerURL !== undefined){
let data1 = data.peerURL;
if(typeof data1 === "string"){
if(!pattern2.test(data1)){
const err6 = {instancePath:instancePath+"/peerURL",schemaPath:"#/definitions/url/pattern",keyword:"pattern",params:{pattern: "^https?://[^/?#]+:[0-9]+$"},message:"must match pattern \""+"^https?://[^/?#]+:[0-9]+$"+"\"",schema:"^https?://[^/?#]+:[0-9]+$",parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/peerURL",schemaPath:"#/definitions/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.clientURL !== undefined){
let data2 = data.clientURL;
if(typeof data2 === "string"){
if(!pattern2.test(data2)){
const err8 = {instancePath:instancePath+"/clientURL",schemaPath:"#/definitions/url/pattern",keyword:"pattern",params:{pattern: "^https?://[^/?#]+:[0-9]+$"},message:"must match pattern \""+"^https?://[^/?#]+:[0-9]+$"+"\"",schema:"^https?://[^/?#]+:[0-9]+$",parentSchema:schema15,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/clientURL",schemaPath:"#/definitions/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.host !== undefined){
let data3 = data.host;
if(typeof data3 === "string"){
if(data3.length < 1){
const err10 = {instancePath:instancePath+"/host",schemaPath:"#/properties/host/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.properties.host,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/host",schemaPath:"#/properties/host/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.host.type,parentSchema:schema14.properties.host,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data.dataDir !== undefined){
let data4 = data.dataDir;
if(typeof data4 === "string"){
if(data4.length < 1){
const err12 = {instancePath:instancePath+"/dataDir",schemaPath:"#/properties/dataDir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.properties.dataDir,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
else {
const err13 = {instancePath:instancePath+"/dataDir",schemaPath:"#/properties/dataDir/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.dataDir.type,parentSchema:schema14.properties.dataDir,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.configFile !== undefined){
let data5 = data.configFile;
if(typeof data5 === "string"){
if(data5.length < 1){
const err14 = {instancePath:instancePath+"/configFile",schemaPath:"#/properties/configFile/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.properties.configFile,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/configFile",schemaPath:"#/properties/configFile/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.configFile.type,parentSchema:schema14.properties.configFile,data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.config !== undefined){
let data6 = data.config;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6["listen-peer-urls"] !== undefined){
let data7 = data6["listen-peer-urls"];
if(typeof data7 !== "string"){
const err16 = {instancePath:instancePath+"/config/listen-peer-urls",schemaPath:"#/properties/config/properties/listen-peer-urls/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.config.properties["listen-peer-urls"].type,parentSchema:schema14.properties.config.properties["listen-peer-urls"],data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data6["listen-client-urls"] !== undefined){
let data8 = data6["listen-client-urls"];
if(typeof data8 !== "string"){
const err17 = {instancePath:instancePath+"/config/listen-client-urls",schemaPath:"#/properties/config/properties/listen-client-urls/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.config.properties["listen-client-urls"].type,parentSchema:schema14.properties.config.properties["listen-client-urls"],data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data6["quota-backend-bytes"] !== undefined){
let data9 = data6["quota-backend-bytes"];
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
const err18 = {instancePath:instancePath+"/config/quota-backend-bytes",schemaPath:"#/properties/config/properties/quota-backend-bytes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema14.properties.config.properties["quota-backend-bytes"].type,parentSchema:schema14.properties.config.properties["quota-backend-bytes"],data:data9};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/config",schemaPath:"#/properties/config/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema14.properties.config.type,parentSchema:schema14.properties.config,data:data6};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
else {
const err20 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema14.type,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://etcdplan.dev/schemas/spec.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.apiVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "apiVersion"},message:"must have required property '"+"apiVersion"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.name === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.source === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "source"},message:"must have required property '"+"source"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.target === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "target"},message:"must have required property '"+"target"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err5 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data0 = data.apiVersion;
if("etcdplan/v1" !== data0){
const err6 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "etcdplan/v1"},message:"must be equal to constant",schema:"etcdplan/v1",parentSchema:schema11.properties.apiVersion,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.kind !== undefined){
let data1 = data.kind;
if("Migration" !== data1){
const err7 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "Migration"},message:"must be equal to constant",schema:"Migration",parentSchema:schema11.properties.kind,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.name !== undefined){
let data2 = data.name;
if(typeof data2 === "string"){
if(!pattern0.test(data2)){
const err8 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9-]+$"},message:"must match pattern \""+"^[a-z0-9-]+$"+"\"",schema:"^[a-z0-9-]+$",parentSchema:schema11.properties.name,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.name.type,parentSchema:schema11.properties.name,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.strategy !== undefined){
let data3 = data.strategy;
if(!((data3 === "join") || (data3 === "snapshot"))){
const err10 = {instancePath:instancePath+"/strategy",schemaPath:"#/properties/strategy/enum",keyword:"enum",params:{allowedValues: schema11.properties.strategy.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.strategy.enum,parentSchema:schema11.properties.strategy,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.cluster !== undefined){
let data4 = data.cluster;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key1 in data4){
if(!(((key1 === "token") || (key1 === "tls")) || (key1 === "peerTLS"))){
const err11 = {instancePath:instancePath+"/cluster",schemaPath:"#/properties/cluster/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.cluster,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data4.token !== undefined){
let data5 = data4.token;
if(typeof data5 === "string"){
if(data5.length < 1){
const err12 = {instancePath:instancePath+"/cluster/token",schemaPath:"#/properties/cluster/properties/token/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.cluster.properties.token,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
else {
const err13 = {instancePath:instancePath+"/cluster/token",schemaPath:"#/properties/cluster/properties/token/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.cluster.properties.token.type,parentSchema:schema11.properties.cluster.properties.token,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data4.tls !== undefined){
let data6 = data4.tls;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
for(const key2 in data6){
if(!(((key2 === "ca") || (key2 === "cert")) || (key2 === "key"))){
const err14 = {instancePath:instancePath+"/cluster/tls",schemaPath:"#/definitions/tlsFiles/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema12,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data6.ca !== undefined){
let data7 = data6.ca;
if(typeof data7 === "string"){
if(data7.length < 1){
const err15 = {instancePath:instancePath+"/cluster/tls/ca",schemaPath:"#/definitions/tlsFiles/properties/ca/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.ca,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/cluster/tls/ca",schemaPath:"#/definitions/tlsFiles/properties/ca/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.ca.type,parentSchema:schema12.properties.ca,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data6.cert !== undefined){
let data8 = data6.cert;
if(typeof data8 === "string"){
if(data8.length < 1){
const err17 = {instancePath:instancePath+"/cluster/tls/cert",schemaPath:"#/definitions/tlsFiles/properties/cert/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.cert,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/cluster/tls/cert",schemaPath:"#/definitions/tlsFiles/properties/cert/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.cert.type,parentSchema:schema12.properties.cert,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data6.key !== undefined){
let data9 = data6.key;
if(typeof data9 === "string"){
if(data9.length < 1){
const err19 = {instancePath:instancePath+"/cluster/tls/key",schemaPath:"#/definitions/tlsFiles/properties/key/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.key,data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
else {
const err20 = {instancePath:instancePath+"/cluster/tls/key",schemaPath:"#/definitions/tlsFiles/properties/key/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.key.type,parentSchema:schema12.properties.key,data:data9};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath:instancePath+"/cluster/tls",schemaPath:"#/definitions/tlsFiles/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.type,parentSchema:schema12,data:data6};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data4.peerTLS !== undefined){
let data10 = data4.peerTLS;
if(data10 && typeof data10 == "object" && !Array.isArray(data10)){
for(const key3 in data10){
if(!(((key3 === "ca") || (key3 === "cert")) || (key3 === "key"))){
const err22 = {instancePath:instancePath+"/cluster/peerTLS",schemaPath:"#/definitions/tlsFiles/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema12,data:data10};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data10.ca !== undefined){
let data11 = data10.ca;
if(typeof data11 === "string"){
if(data11.length < 1){
const err23 = {instancePath:instancePath+"/cluster/peerTLS/ca",schemaPath:"#/definitions/tlsFiles/properties/ca/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.ca,data:data11};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/cluster/peerTLS/ca",schemaPath:"#/definitions/tlsFiles/properties/ca/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.ca.type,parentSchema:schema12.properties.ca,data:data11};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data10.cert !== undefined){
let data12 = data10.cert;
if(typeof data12 === "string"){
if(data12.length < 1){
const err25 = {instancePath:instancePath+"/cluster/peerTLS/cert",schemaPath:"#/definitions/tlsFiles/properties/cert/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.cert,data:data12};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/cluster/peerTLS/cert",schemaPath:"#/definitions/tlsFiles/properties/cert/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.cert.type,parentSchema:schema12.properties.cert,data:data12};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data10.key !== undefined){
let data13 = data10.key;
if(typeof data13 === "string"){
if(data13.length < 1){
const err27 = {instancePath:instancePath+"/cluster/peerTLS/key",schemaPath:"#/definitions/tlsFiles/properties/key/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12.properties.key,data:data13};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
else {
const err28 = {instancePath:instancePath+"/cluster/peerTLS/key",schemaPath:"#/definitions/tlsFiles/properties/key/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.properties.key.type,parentSchema:schema12.properties.key,data:data13};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath:instancePath+"/cluster/peerTLS",schemaPath:"#/definitions/tlsFiles/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.type,parentSchema:schema12,data:data10};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath:instancePath+"/cluster",schemaPath:"#/properties/cluster/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.cluster.type,parentSchema:schema11.properties.cluster,data:data4};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data.source !== undefined){
let data14 = data.source;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
if(data14.members === undefined){
const err31 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/required",keyword:"required",params:{missingProperty: "members"},message:"must have required property '"+"members"+"'",schema:schema11.properties.source.required,parentSchema:schema11.properties.source,data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
for(const key4 in data14){
if(!(key4 === "members")){
const err32 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.source,data:data14};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data14.members !== undefined){
let data15 = data14.members;
if(Array.isArray(data15)){
if(data15.length < 1){
const err33 = {instancePath:instancePath+"/source/members",schemaPath:"#/properties/source/properties/members/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.source.properties.members,data:data15};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
const len0 = data15.length;
for(let i0=0; i0<len0; i0++){
if(!(validate11(data15[i0], {instancePath:instancePath+"/source/members/" + i0,parentData:data15,parentDataProperty:i0,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err34 = {instancePath:instancePath+"/source/members",schemaPath:"#/properties/source/properties/members/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.source.properties.members.type,parentSchema:schema11.properties.source.properties.members,data:data15};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.source.type,parentSchema:schema11.properties.source,data:data14};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data.target !== undefined){
let data17 = data.target;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
if(data17.members === undefined){
const err36 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/required",keyword:"required",params:{missingProperty: "members"},message:"must have required property '"+"members"+"'",schema:schema11.properties.target.required,parentSchema:schema11.properties.target,data:data17};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
for(const key5 in data17){
if(!(key5 === "members")){
const err37 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.target,data:data17};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data17.members !== undefined){
let data18 = data17.members;
if(Array.isArray(data18)){
if(data18.length < 1){
const err38 = {instancePath:instancePath+"/target/members",schemaPath:"#/properties/target/properties/members/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.target.properties.members,data:data18};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
const len1 = data18.length;
for(let i1=0; i1<len1; i1++){
if(!(validate11(data18[i1], {instancePath:instancePath+"/target/members/" + i1,parentData:data18,parentDataProperty:i1,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err39 = {instancePath:instancePath+"/target/members",schemaPath:"#/properties/target/properties/members/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.target.properties.members.type,parentSchema:schema11.properties.target.properties.members,data:data18};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
}
else {
const err40 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.target.type,parentSchema:schema11.properties.target,data:data17};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data.join !== undefined){
let data20 = data.join;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
for(const key6 in data20){
if(!(((((key6 === "learner") || (key6 === "order")) || (key6 === "finalState")) || (key6 === "rollingRestart")) || (key6 === "catchUpTolerance"))){
const err41 = {instancePath:instancePath+"/join",schemaPath:"#/properties/join/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.join,data:data20};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data20.learner !== undefined){
let data21 = data20.learner;
if(typeof data21 !== "boolean"){
const err42 = {instancePath:instancePath+"/join/learner",schemaPath:"#/properties/join/properties/learner/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.join.properties.learner.type,parentSchema:schema11.properties.join.properties.learner,data:data21};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data20.order !== undefined){
let data22 = data20.order;
if(!((data22 === "add-first") || (data22 === "one-for-one"))){
const err43 = {instancePath:instancePath+"/join/order",schemaPath:"#/properties/join/properties/order/enum",keyword:"enum",params:{allowedValues: schema11.properties.join.properties.order.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.join.properties.order.enum,parentSchema:schema11.properties.join.properties.order,data:data22};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data20.finalState !== undefined){
let data23 = data20.finalState;
if(!((data23 === "existing") || (data23 === "new"))){
const err44 = {instancePath:instancePath+"/join/finalState",schemaPath:"#/properties/join/properties/finalState/enum",keyword:"enum",params:{allowedValues: schema11.properties.join.properties.finalState.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.join.properties.finalState.enum,parentSchema:schema11.properties.join.properties.finalState,data:data23};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data20.rollingRestart !== undefined){
let data24 = data20.rollingRestart;
if(typeof data24 !== "boolean"){
const err45 = {instancePath:instancePath+"/join/rollingRestart",schemaPath:"#/properties/join/properties/rollingRestart/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.join.properties.rollingRestart.type,parentSchema:schema11.properties.join.properties.rollingRestart,data:data24};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data20.catchUpTolerance !== undefined){
let data25 = data20.catchUpTolerance;
if(!(((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25))) && (isFinite(data25)))){
const err46 = {instancePath:instancePath+"/join/catchUpTolerance",schemaPath:"#/properties/join/properties/catchUpTolerance/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.join.properties.catchUpTolerance.type,parentSchema:schema11.properties.join.properties.catchUpTolerance,data:data25};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
if((typeof data25 == "number") && (isFinite(data25))){
if(data25 < 0 || isNaN(data25)){
const err47 = {instancePath:instancePath+"/join/catchUpTolerance",schemaPath:"#/properties/join/properties/catchUpTolerance/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.join.properties.catchUpTolerance,data:data25};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
}
}
else {
const err48 = {instancePath:instancePath+"/join",schemaPath:"#/properties/join/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.join.type,parentSchema:schema11.properties.join,data:data20};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data.snapshot !== undefined){
let data26 = data.snapshot;
if(data26 && typeof data26 == "object" && !Array.isArray(data26)){
for(const key7 in data26){
if(!((key7 === "from") || (key7 === "dir"))){
const err49 = {instancePath:instancePath+"/snapshot",schemaPath:"#/properties/snapshot/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.snapshot,data:data26};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
if(data26.from !== undefined){
let data27 = data26.from;
if(typeof data27 === "string"){
if(data27.length < 1){
const err50 = {instancePath:instancePath+"/snapshot/from",schemaPath:"#/properties/snapshot/properties/from/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.snapshot.properties.from,data:data27};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
else {
const err51 = {instancePath:instancePath+"/snapshot/from",schemaPath:"#/properties/snapshot/properties/from/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.snapshot.properties.from.type,parentSchema:schema11.properties.snapshot.properties.from,data:data27};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data26.dir !== undefined){
let data28 = data26.dir;
if(typeof data28 === "string"){
if(data28.length < 1){
const err52 = {instancePath:instancePath+"/snapshot/dir",schemaPath:"#/properties/snapshot/properties/dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.snapshot.properties.dir,data:data28};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/snapshot/dir",schemaPath:"#/properties/snapshot/properties/dir/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.snapshot.properties.dir.type,parentSchema:schema11.properties.snapshot.properties.dir,data:data28};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
}
else {
const err54 = {instancePath:instancePath+"/snapshot",schemaPath:"#/properties/snapshot/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.snapshot.type,parentSchema:schema11.properties.snapshot,data:data26};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
if(data.dns !== undefined){
let data29 = data.dns;
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
if(data29.name === undefined){
const err55 = {instancePath:instancePath+"/dns",schemaPath:"#/properties/dns/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema11.properties.dns.required,parentSchema:schema11.properties.dns,data:data29};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
for(const key8 in data29){
if(!(((key8 === "name") || (key8 === "switch")) || (key8 === "verify"))){
const err56 = {instancePath:instancePath+"/dns",schemaPath:"#/properties/dns/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.dns,data:data29};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data29.name !== undefined){
let data30 = data29.name;
if(typeof data30 === "string"){
if(data30.length < 1){
const err57 = {instancePath:instancePath+"/dns/name",schemaPath:"#/properties/dns/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.dns.properties.name,data:data30};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
else {
const err58 = {instancePath:instancePath+"/dns/name",schemaPath:"#/properties/dns/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.dns.properties.name.type,parentSchema:schema11.properties.dns.properties.name,data:data30};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data29.switch !== undefined){
let data31 = data29.switch;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
if(data31.via === undefined){
const err59 = {instancePath:instancePath+"/dns/switch",schemaPath:"#/properties/dns/properties/switch/required",keyword:"required",params:{missingProperty: "via"},message:"must have required property '"+"via"+"'",schema:schema11.properties.dns.properties.switch.required,parentSchema:schema11.properties.dns.properties.switch,data:data31};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
for(const key9 in data31){
if(!(((key9 === "via") || (key9 === "command")) || (key9 === "file"))){
const err60 = {instancePath:instancePath+"/dns/switch",schemaPath:"#/properties/dns/properties/switch/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.dns.properties.switch,data:data31};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data31.via !== undefined){
let data32 = data31.via;
if(!((((data32 === "manual") || (data32 === "exec")) || (data32 === "hosts-file")) || (data32 === "rfc2136"))){
const err61 = {instancePath:instancePath+"/dns/switch/via",schemaPath:"#/properties/dns/properties/switch/properties/via/enum",keyword:"enum",params:{allowedValues: schema11.properties.dns.properties.switch.properties.via.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.dns.properties.switch.properties.via.enum,parentSchema:schema11.properties.dns.properties.switch.properties.via,data:data32};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data31.command !== undefined){
let data33 = data31.command;
if(Array.isArray(data33)){
const len2 = data33.length;
for(let i2=0; i2<len2; i2++){
let data34 = data33[i2];
if(typeof data34 === "string"){
if(data34.length < 1){
const err62 = {instancePath:instancePath+"/dns/switch/command/" + i2,schemaPath:"#/properties/dns/properties/switch/properties/command/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.dns.properties.switch.properties.command.items,data:data34};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
else {
const err63 = {instancePath:instancePath+"/dns/switch/command/" + i2,schemaPath:"#/properties/dns/properties/switch/properties/command/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.dns.properties.switch.properties.command.items.type,parentSchema:schema11.properties.dns.properties.switch.properties.command.items,data:data34};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
}
else {
const err64 = {instancePath:instancePath+"/dns/switch/command",schemaPath:"#/properties/dns/properties/switch/properties/command/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.dns.properties.switch.properties.command.type,parentSchema:schema11.properties.dns.properties.switch.properties.command,data:data33};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
if(data31.file !== undefined){
let data35 = data31.file;
if(typeof data35 === "string"){
if(data35.length < 1){
const err65 = {instancePath:instancePath+"/dns/switch/file",schemaPath:"#/properties/dns/properties/switch/properties/file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.dns.properties.switch.properties.file,data:data35};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
else {
const err66 = {instancePath:instancePath+"/dns/switch/file",schemaPath:"#/properties/dns/properties/switch/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.dns.properties.switch.properties.file.type,parentSchema:schema11.properties.dns.properties.switch.properties.file,data:data35};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
}
else {
const err67 = {instancePath:instancePath+"/dns/switch",schemaPath:"#/properties/dns/properties/switch/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.dns.properties.switch.type,parentSchema:schema11.properties.dns.properties.switch,data:data31};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data29.verify !== undefined){
let data36 = data29.verify;
if(typeof data36 !== "boolean"){
const err68 = {instancePath:instancePath+"/dns/verify",schemaPath:"#/properties/dns/properties/verify/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.dns.properties.verify.type,parentSchema:schema11.properties.dns.properties.verify,data:data36};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
}
else {
const err69 = {instancePath:instancePath+"/dns",schemaPath:"#/properties/dns/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.dns.type,parentSchema:schema11.properties.dns,data:data29};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
if(data.nodes !== undefined){
let data37 = data.nodes;
if(data37 && typeof data37 == "object" && !Array.isArray(data37)){
for(const key10 in data37){
if(!((key10 === "provider") || (key10 === "local"))){
const err70 = {instancePath:instancePath+"/nodes",schemaPath:"#/properties/nodes/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.nodes,data:data37};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data37.provider !== undefined){
let data38 = data37.provider;
if(!((((data38 === "local") || (data38 === "ssh")) || (data38 === "exec")) || (data38 === "manual"))){
const err71 = {instancePath:instancePath+"/nodes/provider",schemaPath:"#/properties/nodes/properties/provider/enum",keyword:"enum",params:{allowedValues: schema11.properties.nodes.properties.provider.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.nodes.properties.provider.enum,parentSchema:schema11.properties.nodes.properties.provider,data:data38};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data37.local !== undefined){
let data39 = data37.local;
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
for(const key11 in data39){
if(!((key11 === "workDir") || (key11 === "etcd"))){
const err72 = {instancePath:instancePath+"/nodes/local",schemaPath:"#/properties/nodes/properties/local/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.nodes.properties.local,data:data39};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data39.workDir !== undefined){
let data40 = data39.workDir;
if(typeof data40 === "string"){
if(data40.length < 1){
const err73 = {instancePath:instancePath+"/nodes/local/workDir",schemaPath:"#/properties/nodes/properties/local/properties/workDir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.nodes.properties.local.properties.workDir,data:data40};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
else {
const err74 = {instancePath:instancePath+"/nodes/local/workDir",schemaPath:"#/properties/nodes/properties/local/properties/workDir/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.nodes.properties.local.properties.workDir.type,parentSchema:schema11.properties.nodes.properties.local.properties.workDir,data:data40};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data39.etcd !== undefined){
let data41 = data39.etcd;
if(typeof data41 === "string"){
if(data41.length < 1){
const err75 = {instancePath:instancePath+"/nodes/local/etcd",schemaPath:"#/properties/nodes/properties/local/properties/etcd/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.nodes.properties.local.properties.etcd,data:data41};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
else {
const err76 = {instancePath:instancePath+"/nodes/local/etcd",schemaPath:"#/properties/nodes/properties/local/properties/etcd/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.nodes.properties.local.properties.etcd.type,parentSchema:schema11.properties.nodes.properties.local.properties.etcd,data:data41};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
else {
const err77 = {instancePath:instancePath+"/nodes/local",schemaPath:"#/properties/nodes/properties/local/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.nodes.properties.local.type,parentSchema:schema11.properties.nodes.properties.local,data:data39};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
}
else {
const err78 = {instancePath:instancePath+"/nodes",schemaPath:"#/properties/nodes/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.nodes.type,parentSchema:schema11.properties.nodes,data:data37};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
if(data.timeouts !== undefined){
let data42 = data.timeouts;
if(data42 && typeof data42 == "object" && !Array.isArray(data42)){
for(const key12 in data42){
if(!(((key12 === "catchUp") || (key12 === "health")) || (key12 === "step"))){
const err79 = {instancePath:instancePath+"/timeouts",schemaPath:"#/properties/timeouts/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.timeouts,data:data42};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data42.catchUp !== undefined){
let data43 = data42.catchUp;
if(typeof data43 === "string"){
if(!pattern4.test(data43)){
const err80 = {instancePath:instancePath+"/timeouts/catchUp",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$"},message:"must match pattern \""+"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$"+"\"",schema:"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$",parentSchema:schema17,data:data43};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
else {
const err81 = {instancePath:instancePath+"/timeouts/catchUp",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.type,parentSchema:schema17,data:data43};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
if(data42.health !== undefined){
let data44 = data42.health;
if(typeof data44 === "string"){
if(!pattern4.test(data44)){
const err82 = {instancePath:instancePath+"/timeouts/health",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$"},message:"must match pattern \""+"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$"+"\"",schema:"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$",parentSchema:schema17,data:data44};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
else {
const err83 = {instancePath:instancePath+"/timeouts/health",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.type,parentSchema:schema17,data:data44};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data42.step !== undefined){
let data45 = data42.step;
if(typeof data45 === "string"){
if(!pattern4.test(data45)){
const err84 = {instancePath:instancePath+"/timeouts/step",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$"},message:"must match pattern \""+"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$"+"\"",schema:"^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$",parentSchema:schema17,data:data45};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
else {
const err85 = {instancePath:instancePath+"/timeouts/step",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.type,parentSchema:schema17,data:data45};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
}
else {
const err86 = {instancePath:instancePath+"/timeouts",schemaPath:"#/properties/timeouts/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.timeouts.type,parentSchema:schema11.properties.timeouts,data:data42};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
else {
const err87 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

