namespace ClusterD.Membership.Views;

/// <summary>
/// A node stopped (<see cref="Trusted"/> false: a pause of its own was noticed) or resumed trusting
/// its installed view. Within one step of the core the distrust comes before any view installed in
/// that step, and the trust after it, so a consumer that refuses to act while untrusted never acts
/// on a view from the settling window.
/// </summary>
/// <param name="Settling">The window that began or ended (for an end, as it stood at the end).</param>
/// <param name="At">Core time of the change.</param>
public sealed record ViewTrustChange(bool Trusted, ViewSettling Settling, TimeSpan At);
