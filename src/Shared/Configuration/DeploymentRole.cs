namespace LxAnnotate.Shared.Configuration;

/// <summary>What this installation is; chosen by <c>ENDOREG_DEPLOYMENT_ROLE</c>.</summary>
public enum DeploymentRole
{
    Standalone,
    SiteNode,
    CentralHub,
}
