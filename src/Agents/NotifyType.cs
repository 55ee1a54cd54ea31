namespace ClusterD.Agents;

/// <summary>Whether a notification comes before or after the operation (<c>OCF_RESKEY_CRM_meta_notify_type</c>).</summary>
public enum NotifyType
{
    /// <summary><c>pre</c>: the operation is about to run.</summary>
    Pre,

    /// <summary><c>post</c>: the operation has run.</summary>
    Post,
}
