import { expect } from 'chai';
import { currentPlatform } from '../../../src/platform/index.js';

describe('platform index', () => {
  it('picks the implementation for this OS, once', () => {
    const platform = currentPlatform();
    expect(platform.os).to.equal(
      process.platform === 'linux' || process.platform === 'win32' ? process.platform : 'darwin',
    );
    expect(currentPlatform()).to.equal(platform);
  });
});
