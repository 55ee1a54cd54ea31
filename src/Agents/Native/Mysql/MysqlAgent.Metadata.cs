namespace ClusterD.Agents.Native.Mysql;

public sealed partial class MysqlAgent
{
    /// <inheritdoc/>
    protected override string MetadataXml => """
        <?xml version="1.0"?>
        <resource-agent name="mysql" version="1.0">
        <version>1.1</version>
        <longdesc lang="en">Starts, stops and monitors one MySQL or MariaDB server on its datadir, natively (no shell, no mysql client): monitor runs a real query through MySqlConnector over the socket and reports innodb_flush_log_at_trx_commit and sync_binlog, warning when commits are not durable. Parameter names and defaults are those of ocf:heartbeat:mysql, for which it also answers. Start never launches a second server on a datadir that is in use (pid file, datadir locks, socket); stop reports success only once the server process is gone. Replication (promotable clones) is not supported: use it as a primitive, on DRBD for example.</longdesc>
        <shortdesc lang="en">MySQL/MariaDB server (native)</shortdesc>
        <parameters>
        <parameter name="binary">
        <longdesc lang="en">The server program. Empty: /usr/sbin/mariadbd, else /usr/sbin/mysqld. mysqld_safe also works, but it restarts a crashed server behind the cluster's back.</longdesc>
        <shortdesc lang="en">MySQL server binary</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="client_binary">
        <longdesc lang="en">Accepted for compatibility with ocf:heartbeat:mysql and ignored: no client program is run.</longdesc>
        <shortdesc lang="en">Ignored</shortdesc>
        <content type="string" default="mysql" />
        </parameter>
        <parameter name="config">
        <longdesc lang="en">Configuration file, passed as --defaults-file. Empty: the server's own search order.</longdesc>
        <shortdesc lang="en">MySQL config</shortdesc>
        <content type="string" default="/etc/mysql/my.cnf" />
        </parameter>
        <parameter name="datadir">
        <longdesc lang="en">Directory containing the databases.</longdesc>
        <shortdesc lang="en">MySQL datadir</shortdesc>
        <content type="string" default="/var/lib/mysql" />
        </parameter>
        <parameter name="user">
        <longdesc lang="en">User the server runs as (--user when the agent runs as root); owner of the pid, socket and log directories it creates.</longdesc>
        <shortdesc lang="en">MySQL user</shortdesc>
        <content type="string" default="mysql" />
        </parameter>
        <parameter name="group">
        <longdesc lang="en">Group owning the directories and log file the agent creates.</longdesc>
        <shortdesc lang="en">MySQL group</shortdesc>
        <content type="string" default="mysql" />
        </parameter>
        <parameter name="log">
        <longdesc lang="en">The error log (--log-error); its tail is the reason of a failed start.</longdesc>
        <shortdesc lang="en">MySQL log file</shortdesc>
        <content type="string" default="/var/log/mysql/error.log" />
        </parameter>
        <parameter name="pid">
        <longdesc lang="en">The pid file (--pid-file).</longdesc>
        <shortdesc lang="en">MySQL pid file</shortdesc>
        <content type="string" default="/var/run/mysqld/mysqld.pid" />
        </parameter>
        <parameter name="socket">
        <longdesc lang="en">The Unix socket (--socket); the agent's queries go through it.</longdesc>
        <shortdesc lang="en">MySQL socket</shortdesc>
        <content type="string" default="/var/run/mysqld/mysqld.sock" />
        </parameter>
        <parameter name="port">
        <longdesc lang="en">TCP port (--port). Empty: from the configuration.</longdesc>
        <shortdesc lang="en">TCP port</shortdesc>
        <content type="integer" default="" />
        </parameter>
        <parameter name="bind_address">
        <longdesc lang="en">Address to listen on (--bind-address). Empty: from the configuration.</longdesc>
        <shortdesc lang="en">Bind address</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="test_table">
        <longdesc lang="en">Table read (SELECT COUNT(*)) by monitor at depth 10 and above, in database.table notation.</longdesc>
        <shortdesc lang="en">MySQL test table</shortdesc>
        <content type="string" default="mysql.user" />
        </parameter>
        <parameter name="test_user">
        <longdesc lang="en">User the agent connects as; needs SELECT on test_table (and INSERT, DELETE, CREATE on heartbeat_table). root works through unix_socket authentication when the agent runs as root.</longdesc>
        <shortdesc lang="en">MySQL test user</shortdesc>
        <content type="string" default="root" />
        </parameter>
        <parameter name="test_passwd">
        <longdesc lang="en">Password of test_user.</longdesc>
        <shortdesc lang="en">MySQL test user password</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="heartbeat_table">
        <longdesc lang="en">Table written by monitor at depth 10 and above (one row per resource instance, created with its database on first use), in database.table notation. Empty: no write check.</longdesc>
        <shortdesc lang="en">Write-check table</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="enable_creation">
        <longdesc lang="en">If the datadir has no mysql system database, create it with mariadb-install-db before the first start. Otherwise such a datadir is a configuration error.</longdesc>
        <shortdesc lang="en">Create the database if it does not exist</shortdesc>
        <content type="boolean" default="0" />
        </parameter>
        <parameter name="additional_parameters">
        <longdesc lang="en">Additional arguments for the server, split like a shell does (quotes honoured, nothing expanded), passed last.</longdesc>
        <shortdesc lang="en">Additional parameters to pass to mysqld</shortdesc>
        <content type="string" default="" />
        </parameter>
        </parameters>
        <actions>
        <action name="start" timeout="120s" />
        <action name="stop" timeout="120s" />
        <action name="monitor" depth="0" timeout="30s" interval="20s" />
        <action name="monitor" depth="10" timeout="30s" interval="60s" />
        <action name="validate-all" timeout="5s" />
        <action name="meta-data" timeout="5s" />
        </actions>
        </resource-agent>
        """;
}
