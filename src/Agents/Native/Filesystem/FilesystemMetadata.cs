namespace ClusterD.Agents.Native.Filesystem;

/// <summary>The Filesystem agent's meta-data: the OCF agent's parameter names, so existing configurations work unchanged.</summary>
internal static class FilesystemMetadata
{
    public const string Xml = """
        <?xml version="1.0"?>
        <resource-agent name="Filesystem" version="1.0">
        <version>1.1</version>
        <longdesc lang="en">Mounts a file system while started; ClusterD's native equivalent of ocf:heartbeat:Filesystem. Monitors from /proc/self/mountinfo; a busy unmount signals only the processes that use this mount.</longdesc>
        <shortdesc lang="en">Manages a file system mount (native)</shortdesc>
        <parameters>
        <parameter name="device" required="1">
        <longdesc lang="en">The block device (e.g. /dev/drbd/by-res/r0), "-U uuid", "-L label", or the source of a network file system.</longdesc>
        <shortdesc lang="en">block device</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="directory" required="1">
        <longdesc lang="en">The mount point, an absolute path; created when missing.</longdesc>
        <shortdesc lang="en">mount point</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="fstype" required="1">
        <longdesc lang="en">The file system type (mount -t), e.g. ext3.</longdesc>
        <shortdesc lang="en">file system type</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="options">
        <longdesc lang="en">Mount options (mount -o), e.g. noatime.</longdesc>
        <shortdesc lang="en">mount options</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="run_fsck">
        <longdesc lang="en">auto: fsck -p before mounting file systems without a journal (ext2); force: always; no: never. fsck status 4 or more fails the start.</longdesc>
        <shortdesc lang="en">fsck policy</shortdesc>
        <content type="string" default="auto" />
        </parameter>
        <parameter name="force_unmount">
        <longdesc lang="en">true or safe: when the unmount is busy, send SIGTERM (twice) and then SIGKILL to the processes using this mount, retrying until the stop timeout. false: only retry.</longdesc>
        <shortdesc lang="en">kill users of a busy mount</shortdesc>
        <content type="string" default="true" />
        </parameter>
        <parameter name="fast_stop">
        <longdesc lang="en">Accepted for compatibility and ignored: signals are always sent with a short grace period.</longdesc>
        <shortdesc lang="en">ignored</shortdesc>
        <content type="boolean" default="false" />
        </parameter>
        <parameter name="statusfile_prefix">
        <longdesc lang="en">Directory on the mount for the depth-20 write check's status file.</longdesc>
        <shortdesc lang="en">status file directory</shortdesc>
        <content type="string" default=".Filesystem_status/" />
        </parameter>
        </parameters>
        <actions>
        <action name="start" timeout="60s" />
        <action name="stop" timeout="60s" />
        <action name="monitor" depth="0" timeout="40s" interval="20s" />
        <action name="validate-all" timeout="5s" />
        <action name="meta-data" timeout="5s" />
        </actions>
        </resource-agent>
        """;
}
