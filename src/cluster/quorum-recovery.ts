// What to do when a cluster has lost its quorum: etcd changes its membership only through a quorum of
// its voters, so neither etcdplan nor etcdctl can add or remove a member then. etcd's own
// disaster-recovery path (https://etcd.io/docs/v3.5/op-guide/recovery/) is the way out, and every
// message that finds a lost quorum points to it in the same words.

export const QUORUM_RECOVERY_HINT =
  'start the members that are down if their data dirs are intact, then plan again. If they are lost for good, use etcd\'s disaster recovery (https://etcd.io/docs/v3.5/op-guide/recovery/): take a snapshot from a surviving member (`etcdctl --endpoints URL snapshot save backup.db`, which works without quorum) and restore a new cluster from it (`etcdctl snapshot restore`), or restart one surviving member with `--force-new-cluster` to make it a one-member cluster with all its data, then grow it again with etcdplan'
